// The sign-in throttle's counters in PostgreSQL: one row per failure in the LoginFailure table, so every instance
// sees the same counts. Also the sign-up throttle's, whichever store holds the sessions. Every statement is on the
// direct path (src/db/sql.ts): a sign-in runs three of them, and Prisma's transactions cost more CPU than they do.
import type { Database } from '../db/client.ts'
import { dateOrNull, intArray } from '../db/decode.ts'
import { Prisma } from '../generated/prisma/client.ts'
import type { Clock } from '../shared/clock.ts'
import type { Attempts, CountedKey, Reservation } from './types.ts'

export function postgresAttempts(db: Database, clock: Clock, windowSeconds: number): Attempts {
  return {
    reserve(keys) {
      // Waiting for a key's lock in PostgreSQL holds a pooled connection, so a burst of guesses at one email
      // would take every connection and stall the whole shop. Attempts on one key queue here instead; only
      // attempts arriving at other instances at the same moment wait on the database's lock.
      const reserve = keys.reduceRight<() => Promise<Reservation>>(
        (work, { key }) =>
          () =>
            inTurn(key, work),
        () => reserveInTransaction(db, clock.now(), windowSeconds, keys),
      )
      return reserve()
    },
    async clear(forget, reservation) {
      const ids = reservation.ids.map(Number)
      await db.sql.execute(Prisma.sql`DELETE FROM "LoginFailure" WHERE key = ANY(${forget}) OR id = ANY(${ids})`)
    },
  }
}

/** Deletes the failures that have left the window: the sign-in throttle's on PostgreSQL, the sign-up's always. */
export async function sweepLoginFailures(db: Database, clock: Clock, windowSeconds: number): Promise<void> {
  const windowStart = new Date(clock.now().getTime() - windowSeconds * 1000)
  await db.sql.execute(Prisma.sql`DELETE FROM "LoginFailure" WHERE "failedAt" <= ${windowStart}`)
}

async function reserveInTransaction(
  db: Database,
  now: Date,
  windowSeconds: number,
  keys: CountedKey[],
): Promise<Reservation> {
  const windowStart = new Date(now.getTime() - windowSeconds * 1000)
  const locks = Prisma.join(keys.map(({ key }) => Prisma.sql`pg_advisory_xact_lock(hashtext(${key}))`))
  const limits = Prisma.join(keys.map(({ key, limit }) => Prisma.sql`(${key}::text, ${limit}::int)`))
  // Four statements with BEGIN and COMMIT: a sign-in's round trips, not its hash, decide how many run at once.
  return db.sql.transaction(async (tx) => {
    // Every key in one round trip, always in the same order, so that two attempts never wait on each other
    // crosswise.
    await tx.execute(Prisma.sql`SELECT ${locks}`)
    // A new statement, so it sees every failure committed by whoever held the locks before. For each key, the
    // limit-th most recent failure in the window: where there is one, the key is over its limit until that
    // failure leaves the window. Otherwise the attempt is reserved on every key.
    const row = await tx.firstRow(
      Prisma.sql`
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
      SELECT (SELECT max("failedAt") FROM oldest_counted) AS "blockedSince", ARRAY(SELECT id FROM reserved) AS ids`,
      (raw) => ({ blockedSince: dateOrNull(raw, 'blockedSince'), ids: intArray(raw, 'ids') }),
    )
    if (row === null || row.blockedSince === null) return { isAllowed: true, ids: (row?.ids ?? []).map(String) }
    // A refused attempt checks no password, so it is no failure: it must not lock the email out for longer.
    const retryAt = row.blockedSince.getTime() + windowSeconds * 1000
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
