// The seam between the shop and wherever sessions live: PostgreSQL (postgres.ts) or Redis (redis.ts). Routes
// reach sessions only through `app.sessions` (plugin.ts) and `request.session`, so both stores pass one suite.
import type { SessionStore } from '@fastify/session'
import type { Prisma } from '../generated/prisma/client.ts'

/** What every page's header shows; loaded in the same round trip as the session and never persisted. */
export type Viewer = { email: string | null; cartCount: number }

/**
 * What the store knows of a session it loaded: set by `get` and nowhere else, never persisted. Its presence
 * means "this session is stored", which decides update-or-insert on save, and whether it can own a guest cart.
 */
export type StoredRecord = { createdAt: Date; lastSeenAt: Date; expiresAt: Date }

/** One line of the sessions page. */
export type SessionSummary = {
  publicId: string
  createdAt: Date
  lastSeenAt: Date
  userAgent: string
  isCurrent: boolean
}

/** Which of an account's sessions to end: all, all but one (the current), or one. */
export type Ending = { all: true } | { allBut: string } | { only: string }

/**
 * Ends sessions inside `transaction`'s work. It also voids every sign-in of the account still in flight (one
 * whose password check came before): such a sign-in can no longer store its session.
 */
export type EndSessions = (userId: number, ending: Ending) => Promise<void>

export type AccountSessions = {
  /** The account's live sessions, newest first. `current` is this request's row id. */
  list(userId: number, current: string): Promise<SessionSummary[]>
  /** The row id of the account's session with this public id; null for none (or another account's). */
  findOwn(userId: number, publicId: string): Promise<string | null>
  /**
   * Runs `work` in a PostgreSQL transaction, with sessions ended through `endSessions` landing with it: in the
   * same transaction on PostgreSQL; on Redis right after it commits (and a session whose credential version is
   * behind its account's is ended at its next load anyway, should that step fail). `ended` counts them.
   */
  transaction<T>(
    work: (tx: Prisma.TransactionClient, endSessions: EndSessions) => Promise<T>,
  ): Promise<{ result: T; ended: number }>
}

/** A counted key of the sign-in throttle and its limit within the window. */
export type CountedKey = { key: string; limit: number }

/** The attempt may go ahead (its reservation counts as a failure until cleared), or must wait. */
export type Reservation = { isAllowed: true; ids: readonly string[] } | { isAllowed: false; retryAfterSeconds: number }

/** The counters of the sign-in throttle (src/auth/throttle.ts has the rules). */
export type Attempts = {
  /** Reserves one attempt on every key, or on none when any key is at its limit. */
  reserve(keys: CountedKey[]): Promise<Reservation>
  /** A right answer: `forget` keys lose every failure, and the reservation was no failure. */
  clear(forget: string[], reservation: { ids: readonly string[] }): Promise<void>
}

export type Sessions = {
  kind: 'postgres' | 'redis'
  store: SessionStore
  accounts: AccountSessions
  attempts: Attempts
  /** Deletes what has ended (on PostgreSQL sessions and their guest carts; on Redis the guest carts). */
  sweep(): Promise<void>
  /** Whether `error` says the store cannot be reached now (a 503, not a 500). */
  isUnavailable(error: unknown): boolean
  close(): Promise<void>
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** What a session is shown as on the sessions page: a random UUID, never derived from its id. */
export function isPublicSessionId(text: string): boolean {
  return UUID.test(text)
}
