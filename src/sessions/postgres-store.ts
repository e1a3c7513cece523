// @fastify/session's store, on the Session table. Besides loading and saving, it enforces the lifetimes
// on every load (never trusting the cookie's own expiry) and records activity lazily. Rows are keyed by the
// hash of the id in the cookie (see ids.ts).
import type { Session } from 'fastify'
import type { SessionLifetimes } from '../config.ts'
import type { Database } from '../db/client.ts'
import { bool, date, int, intOrNull, json, type RawRow, textOrNull } from '../db/decode.ts'
import { Prisma } from '../generated/prisma/client.ts'
import type { Clock } from '../shared/clock.ts'
import { changesOf, isUnchanged, rememberLoaded } from './changes.ts'
import { HashedIdStore, splitSession } from './hashed-id-store.ts'
import { absoluteEnd, activityDelayMs, hasEnded } from './lifetimes.ts'
import { insertGuestSession, insertSignedInSession } from './postgres-insert.ts'
import type { StoredRecord, Viewer } from './types.ts'

type SessionRow = StoredRecord & {
  data: Record<string, unknown>
  userId: number | null
  isRemembered: boolean
  email: string | null
  cartCount: number
}

function decodeSessionRow(row: RawRow): SessionRow {
  return {
    data: json(row, 'data') as Record<string, unknown>,
    userId: intOrNull(row, 'userId'),
    isRemembered: bool(row, 'isRemembered'),
    createdAt: date(row, 'createdAt'),
    lastSeenAt: date(row, 'lastSeenAt'),
    expiresAt: date(row, 'expiresAt'),
    email: textOrNull(row, 'email'),
    cartCount: int(row, 'cartCount'),
  }
}

// Every statement here is on the direct path (see db/sql.ts): loading a session runs on almost every request,
// and its writes (activity, a flash message) are the shop's most frequent.
export class PostgresSessionStore extends HashedIdStore {
  readonly #touchAfterMs: number

  constructor(
    private readonly db: Database,
    private readonly lifetimes: SessionLifetimes,
    private readonly clock: Clock,
  ) {
    super()
    this.#touchAfterMs = activityDelayMs(lifetimes)
  }

  protected async end(id: string): Promise<void> {
    await this.db.sql.execute(Prisma.sql`DELETE FROM "Session" WHERE id = ${id}`)
  }

  protected async load(id: string): Promise<Session | null> {
    const row = await this.db.sql.firstRow(
      Prisma.sql`
      SELECT s.data, s."userId", s."isRemembered", s."createdAt", s."lastSeenAt", s."expiresAt", u.email,
        (CASE WHEN s."userId" IS NULL
          THEN (SELECT COALESCE(SUM(c.quantity), 0) FROM "CartItem" c WHERE c."sessionId" = s.id)
          ELSE (SELECT COALESCE(SUM(c.quantity), 0) FROM "CartItem" c WHERE c."userId" = s."userId")
        END)::int AS "cartCount"
      FROM "Session" s LEFT JOIN "User" u ON u.id = s."userId"
      WHERE s.id = ${id}`,
      decodeSessionRow,
    )
    if (row === null) return null
    const now = this.clock.now()
    if (hasEnded(row, this.lifetimes, now)) {
      await this.end(id)
      return null
    }
    let { lastSeenAt } = row
    if (now.getTime() - lastSeenAt.getTime() >= this.#touchAfterMs) {
      await this.db.sql.execute(Prisma.sql`UPDATE "Session" SET "lastSeenAt" = ${now} WHERE id = ${id}`)
      lastSeenAt = now
    }
    const stored: StoredRecord = { createdAt: row.createdAt, lastSeenAt, expiresAt: row.expiresAt }
    rememberLoaded(stored, row.data)
    const viewer: Viewer = { email: row.email, cartCount: row.cartCount }
    return { ...row.data, userId: row.userId ?? undefined, isRemembered: row.isRemembered, stored, viewer } as Session
  }

  protected async save(id: string, session: Session): Promise<void> {
    const { stored, userId, credentialVersion, isRemembered, userAgent, data } = splitSession(session)
    const now = this.clock.now()
    if (stored !== undefined) {
      // Loaded from this store: update only. Upserting here could bring back a session that a
      // concurrent request (a sign-out) has just deleted, and an ended id is never taken up again. Only the
      // keys this request changed are written (see changes.ts); a save with none costs no commit, since
      // activity is the load's to record. The account never changes here: a sign-in or out is a new id.
      const changes = changesOf(stored, data)
      if (isUnchanged(changes)) return
      const { changed, removed } = changes
      await this.db.sql.execute(
        Prisma.sql`
          UPDATE "Session" SET data = (data || ${JSON.stringify(changed)}::jsonb) - ${removed}::text[],
            "lastSeenAt" = ${now}
          WHERE id = ${id}`,
      )
      return
    }
    // New in this request (a first cart line, or a sign-in's regenerated id, which is saved twice).
    const expiresAt = absoluteEnd(isRemembered, this.lifetimes, now)
    const row = { id, data, isRemembered, userAgent, now, expiresAt }
    if (userId === undefined) await insertGuestSession(this.db, row)
    else if (credentialVersion !== undefined) await insertSignedInSession(this.db, row, userId, credentialVersion)
    else throw new Error('a sign-in must carry the credential version it checked')
  }
}

/** Deletes every session past its idle or absolute limit (their guest carts go with them). */
export async function sweepExpiredSessions(db: Database, lifetimes: SessionLifetimes, now: Date): Promise<number> {
  const idleCutoff = new Date(now.getTime() - lifetimes.idleSeconds * 1000)
  return db.sql.execute(
    Prisma.sql`DELETE FROM "Session"
      WHERE "expiresAt" <= ${now} OR (NOT "isRemembered" AND "lastSeenAt" <= ${idleCutoff})`,
  )
}
