// The sign-up throttle: creating an account costs an argon2 hash and asking for a password reset a mail, so a
// client address gets at most SIGNUP_LIMIT_PER_ADDRESS of each (two counters) in 15 minutes, then 429. Counted
// like sign-in failures (throttle.ts): in PostgreSQL, so every instance sees the same counts, and under a lock,
// so parallel requests cannot overshoot. A success counts too: the limit is on the work, not on mistakes.
import type { Database } from '../db/client.ts'
import { postgresAttempts } from '../sessions/postgres-attempts.ts'
import type { Reservation } from '../sessions/types.ts'
import type { Clock } from '../shared/clock.ts'
import { THROTTLE_WINDOW_SECONDS } from './throttle.ts'

export type SignupCounter = 'register' | 'forgot'

/** Counts one request of `counter` from `address`, before any hash is computed; or says how long to wait. */
export function reserveSignup(
  db: Database,
  clock: Clock,
  counter: SignupCounter,
  address: string,
  limit: number,
): Promise<Reservation> {
  return postgresAttempts(db, clock, THROTTLE_WINDOW_SECONDS).reserve([{ key: `${counter}:ip:${address}`, limit }])
}

/** What a refused visitor reads. */
export function tooManySignupsMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60)
  return `Too many requests from your network. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
}
