// The sign-in throttle: once an email has 5 failures within 15 minutes (or a client address 50), every
// further attempt is refused with 429 until the window has passed, whatever the password. Failures live
// in PostgreSQL, so every instance sees the same counts. signup-throttle.ts counts sign-ups the same way.
import type { Database } from '../db/client.ts'
import { Prisma } from '../generated/prisma/client.ts'
import type { Clock } from '../shared/clock.ts'

const THROTTLE_WINDOW_SECONDS = 15 * 60
const LIMITS = { email: 5, ip: 50 } as const

export type ThrottleKeys = { email: string; ip: string }

/** Either the attempt may go ahead (its reservation counts as a failure until it succeeds), or wait. */
export type Reservation = { isAllowed: true; ids: number[] } | { isAllowed: false; retryAfterSeconds: number }

// A key must fit in an index entry, and input can be up to the 1 MiB body limit long. No account's email is
// over 254 characters, so a key cut at this length can only ever collide with other overlong input.
const KEY_MAX_LENGTH = 300
const emailKey = (email: string) => `email:${email}`.slice(0, KEY_MAX_LENGTH)

/** A counter and its limit within the window. */
export type CountedKey = { key: string; limit: number }

const keysOf = (keys: ThrottleKeys): CountedKey[] => [
  { key: emailKey(keys.email), limit: LIMITS.email },
  { key: `ip:${keys.ip}`.slice(0, KEY_MAX_LENGTH), limit: LIMITS.ip },
]

/**
 * Counts the attempt before the password is checked. Checking first and recording afterwards would let
 * a burst of parallel guesses all pass the check; a short lock per key makes the count exact, and the
 * password is verified outside it, so sign-ins still run in parallel.
 */
export function reserveAttempt(db: Database, clock: Clock, keys: ThrottleKeys): Promise<Reservation> {
  return reserveOnKeys(db, clock, keysOf(keys))
}

/** Reserves one attempt on every key (the email's first), or on none when any key is at its limit. */
export function reserveOnKeys(db: Database, clock: Clock, keys: CountedKey[]): Promise<Reservation> {
  // Waiting for a key's lock in PostgreSQL holds a pooled connection, so a burst of guesses at one email
  // would take every connection and stall the whole shop. Attempts on one key queue here instead; only
  // attempts arriving at other instances at the same moment wait on the database's lock.
  const reserve = keys.reduceRight<() => Promise<Reservation>>(
    (work, { key }) =>
      () =>
        inTurn(key, work),
    () => reserveInTransaction(db, clock.now(), keys),
  )
  return reserve()
}

async function reserveInTransaction(db: Database, now: Date, keys: CountedKey[]): Promise<Reservation> {
  const windowStart = new Date(now.getTime() - THROTTLE_WINDOW_SECONDS * 1000)
  const locks = Prisma.join(keys.map(({ key }) => Prisma.sql`pg_advisory_xact_lock(hashtext(${key}))`))
  const limits = Prisma.join(keys.map(({ key, limit }) => Prisma.sql`(${key}::text, ${limit}::int)`))
  // Four statements with BEGIN and COMMIT: a sign-in's round trips, not its hash, decide how many run at once.
  return db.prisma.$transaction(async (tx) => {
    // Every key in one round trip, always in the same order, so that two attempts never wait on each other
    // crosswise.
    await tx.$executeRaw`SELECT ${locks}`
    // A new statement, so it sees every failure committed by whoever held the locks before. For each key, the
    // limit-th most recent failure in the window: where there is one, the key is over its limit until that
    // failure leaves the window. Otherwise the attempt is reserved on every key.
    const [row] = await tx.$queryRaw<{ blockedSince: Date | null; ids: number[] }[]>`
      WITH limits (key, "limit") AS (
        VALUES ${limits}
      ), oldest_counted AS (
        SELECT (
          SELECT f."failedAt" FROM "LoginFailure" f WHERE f.key = limits.key AND f."failedAt" > ${windowStart}
          ORDER BY f."failedAt" DESC OFFSET limits."limit" - 1 LIMIT 1
        ) AS "failedAt"
        FROM limits
      ), reserved AS (
        INSERT INTO "LoginFailure" (key, "failedAt")
        SELECT key, ${now} FROM limits WHERE NOT EXISTS (SELECT 1 FROM oldest_counted WHERE "failedAt" IS NOT NULL)
        RETURNING id
      )
      SELECT (SELECT max("failedAt") FROM oldest_counted) AS "blockedSince", ARRAY(SELECT id FROM reserved) AS ids`
    if (row === undefined || row.blockedSince === null) return { isAllowed: true, ids: row?.ids ?? [] }
    // A refused attempt checks no password, so it is no failure: it must not lock the email out for longer.
    const retryAt = row.blockedSince.getTime() + THROTTLE_WINDOW_SECONDS * 1000
    return { isAllowed: false, retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now.getTime()) / 1000)) }
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
export async function clearFailures(db: Database, keys: ThrottleKeys, reservation: { ids: number[] }): Promise<void> {
  await db.prisma.loginFailure.deleteMany({
    where: { OR: [{ key: emailKey(keys.email) }, { id: { in: reservation.ids } }] },
  })
}

/** A password reset (src/auth/password-reset.ts): the email's failures are forgotten, in the reset's transaction. */
export async function forgetEmailFailures(tx: Pick<Prisma.TransactionClient, 'loginFailure'>, email: string) {
  await tx.loginFailure.deleteMany({ where: { key: emailKey(email) } })
}

/** A right second step (src/two-factor/): the key's failures are forgotten, and this attempt was no failure. */
export async function clearKeyFailures(db: Database, key: string, reservation: { ids: number[] }): Promise<void> {
  await db.prisma.loginFailure.deleteMany({ where: { OR: [{ key }, { id: { in: reservation.ids } }] } })
}

export async function sweepLoginFailures(db: Database, clock: Clock): Promise<number> {
  const windowStart = new Date(clock.now().getTime() - THROTTLE_WINDOW_SECONDS * 1000)
  const { count } = await db.prisma.loginFailure.deleteMany({ where: { failedAt: { lte: windowStart } } })
  return count
}

/** What a refused visitor reads. */
export function tooManyAttemptsMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60)
  return `Too many failed attempts. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
}
