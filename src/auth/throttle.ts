// The sign-in throttle: once an email has 5 failures within 15 minutes (or a client address 50), every
// further attempt is refused with 429 until the window has passed, whatever the password. The counters live
// where the sessions do (`app.sessions.attempts`: src/sessions/postgres-attempts.ts or redis-attempts.ts), so
// every instance sees the same counts. signup-throttle.ts counts sign-ups the same way, always in PostgreSQL.
import type { Attempts, CountedKey, Reservation } from '../sessions/types.ts'

export const THROTTLE_WINDOW_SECONDS = 15 * 60
const LIMITS = { email: 5, ip: 50 } as const

export type ThrottleKeys = { email: string; ip: string }

// A key must fit in an index entry, and input can be up to the 1 MiB body limit long. No account's email is
// over 254 characters, so a key cut at this length can only ever collide with other overlong input.
const KEY_MAX_LENGTH = 300
export const emailKey = (email: string) => `email:${email}`.slice(0, KEY_MAX_LENGTH)

const keysOf = (keys: ThrottleKeys): CountedKey[] => [
  { key: emailKey(keys.email), limit: LIMITS.email },
  { key: `ip:${keys.ip}`.slice(0, KEY_MAX_LENGTH), limit: LIMITS.ip },
]

/**
 * Counts the attempt before the password is checked. Checking first and recording afterwards would let
 * a burst of parallel guesses all pass the check; each store makes the count exact (a short lock per key, or
 * one Redis script), and the password is verified outside it, so sign-ins still run in parallel.
 */
export function reserveAttempt(attempts: Attempts, keys: ThrottleKeys): Promise<Reservation> {
  return attempts.reserve(keysOf(keys))
}

/** A right password: the email's failures are forgotten, and this attempt was no failure. */
export function clearFailures(attempts: Attempts, keys: ThrottleKeys, reservation: { ids: readonly string[] }) {
  return attempts.clear([emailKey(keys.email)], reservation)
}

/** What a refused visitor reads. */
export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60)
  return `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
}
