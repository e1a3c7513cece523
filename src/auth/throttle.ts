// The sign-in throttle: once an email has 5 failures within 15 minutes (or a client address 50), every
// further attempt is refused with 429 until the window has passed, whatever the password. Failures live
// in PostgreSQL, so every instance sees the same counts.
import type { Db } from '../db/client.ts'
import type { Clock } from '../shared/clock.ts'

export const THROTTLE_WINDOW_SECONDS = 15 * 60
const LIMITS = { email: 5, ip: 50 } as const

export type ThrottleKeys = { email: string; ip: string }

/** Either the attempt may go ahead (its reservation counts as a failure until it succeeds), or wait. */
export type Reservation = { isAllowed: true; ids: number[] } | { isAllowed: false; retryAfterSeconds: number }

// A key must fit in an index entry, and input can be up to the 1 MiB body limit long. No account's email is
// over 254 characters, so a key cut at this length can only ever collide with other overlong input.
const KEY_MAX_LENGTH = 300
const emailKey = (email: string) => `email:${email}`.slice(0, KEY_MAX_LENGTH)

type CountedKey = { key: string; limit: number }

const keysOf = (keys: ThrottleKeys): CountedKey[] => [
  { key: emailKey(keys.email), limit: LIMITS.email },
  { key: `ip:${keys.ip}`.slice(0, KEY_MAX_LENGTH), limit: LIMITS.ip },
]

/**
 * Counts the attempt before the password is checked. Checking first and recording afterwards would let
 * a burst of parallel guesses all pass the check; a short lock per key makes the count exact, and the
 * password is verified outside it, so sign-ins still run in parallel.
 */
export function reserveAttempt(db: Db, clock: Clock, keys: ThrottleKeys): Promise<Reservation> {
  const [email, ip] = keysOf(keys) as [CountedKey, CountedKey]
  // Waiting for a key's lock in PostgreSQL holds a pooled connection, so a burst of guesses at one email
  // would take every connection and stall the whole shop. Attempts on one key queue here instead; only
  // attempts arriving at other instances at the same moment wait on the database's lock.
  return inTurn(email.key, () => inTurn(ip.key, () => reserveInTransaction(db, clock.now(), [email, ip])))
}

async function reserveInTransaction(db: Db, now: Date, keys: CountedKey[]): Promise<Reservation> {
  const windowStart = new Date(now.getTime() - THROTTLE_WINDOW_SECONDS * 1000)
  return db.$transaction(async (tx) => {
    let retryAfterSeconds = 0
    for (const { key, limit } of keys) {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${key}))`
      const recent = await tx.loginFailure.findMany({
        where: { key, failedAt: { gt: windowStart } },
        orderBy: { failedAt: 'desc' },
        take: limit,
        select: { failedAt: true },
      })
      const oldestCounted = recent[limit - 1]
      if (oldestCounted !== undefined) {
        // The window has passed once the limit-th most recent failure is older than the window.
        const retryAt = oldestCounted.failedAt.getTime() + THROTTLE_WINDOW_SECONDS * 1000
        retryAfterSeconds = Math.max(retryAfterSeconds, 1, Math.ceil((retryAt - now.getTime()) / 1000))
      }
    }
    // A refused attempt checks no password, so it is no failure: it must not lock the email out for longer.
    if (retryAfterSeconds > 0) return { isAllowed: false, retryAfterSeconds }
    const ids: number[] = []
    for (const { key } of keys) {
      ids.push((await tx.loginFailure.create({ data: { key, failedAt: now }, select: { id: true } })).id)
    }
    return { isAllowed: true, ids }
  })
}

const queues = new Map<string, Promise<void>>()

/** Runs `work` once every earlier call for `key` in this process has settled. */
function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
  const result = (queues.get(key) ?? Promise.resolve()).then(work)
  const settled = result.then(
    () => undefined,
    () => undefined,
  )
  queues.set(key, settled)
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key)
  })
  return result
}

/** A right password: the email's failures are forgotten, and this attempt was no failure. */
export async function clearFailures(db: Db, keys: ThrottleKeys, reservation: { ids: number[] }): Promise<void> {
  await db.loginFailure.deleteMany({ where: { OR: [{ key: emailKey(keys.email) }, { id: { in: reservation.ids } }] } })
}

export async function sweepLoginFailures(db: Db, clock: Clock): Promise<number> {
  const windowStart = new Date(clock.now().getTime() - THROTTLE_WINDOW_SECONDS * 1000)
  const { count } = await db.loginFailure.deleteMany({ where: { failedAt: { lte: windowStart } } })
  return count
}

/** What a refused visitor reads. */
export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60)
  return `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
}
