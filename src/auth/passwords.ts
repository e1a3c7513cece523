// Password hashing with argon2id. The work is done on libuv's thread pool, so the event loop never
// blocks on a hash.
import { availableParallelism } from 'node:os'
import argon2 from 'argon2'
import pLimit from 'p-limit'

// OWASP's minimum for argon2id: 19 MiB of memory, 2 iterations, 1 lane.
export const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

// As many hashes at once as there are cores. libuv's pool has 4 threads: on 2 cores, 4 hashes at once take
// twice as long each for the same rate, hold 4 × 19 MiB instead of 2 ×, and leave no thread for the pool's other
// work (reading a static file) meanwhile. The others wait their turn here.
const inTurn = pLimit(availableParallelism())

export function hashPassword(password: string): Promise<string> {
  return inTurn(() => argon2.hash(password, HASH_OPTIONS))
}

// An unknown email is checked against this hash, so it costs the same time as a wrong password
// and does not tell an attacker which emails have accounts.
const dummyHash = hashPassword('not the password of anyone at all')

/** True when `password` matches `hash`; with no hash (unknown email) it spends the same time and is false. */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  const against = hash ?? (await dummyHash)
  const isMatch = await inTurn(() => argon2.verify(against, password))
  return hash !== null && isMatch
}
