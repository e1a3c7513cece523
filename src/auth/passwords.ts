// Password hashing with argon2id. The work is done on libuv's thread pool, so the event loop never
// blocks on a hash.
import argon2 from 'argon2'

// OWASP's minimum for argon2id: 19 MiB of memory, 2 iterations, 1 lane.
const HASH_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, HASH_OPTIONS)
}

// An unknown email is checked against this hash, so it costs the same time as a wrong password
// and does not tell an attacker which emails have accounts.
const dummyHash = hashPassword('not the password of anyone at all')

/** True when `password` matches `hash`; with no hash (unknown email) it spends the same time and is false. */
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  const isMatch = await argon2.verify(hash ?? (await dummyHash), password)
  return hash !== null && isMatch
}
