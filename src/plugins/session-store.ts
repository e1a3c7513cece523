// @fastify/session's store, on the Session table. Besides loading and saving, it enforces the lifetimes
// on every load (never trusting the cookie's own expiry) and records activity lazily.
import type { SessionStore } from '@fastify/session'
import type { Session } from 'fastify'
import type { SessionLifetimes } from '../config.ts'
import type { Db } from '../db/client.ts'
import { execute, queryRows } from '../db/direct-sql.ts'
import { Prisma } from '../generated/prisma/client.ts'
import type { Clock } from '../shared/clock.ts'

/** What every page's header shows; loaded in the same round trip as the session and never persisted. */
export type Viewer = { email: string | null; cartCount: number }

/** As the driver adapter gives it: JSON as text, timestamps as ISO strings (see direct-sql.ts). */
type SessionRow = {
  data: string
  userId: number | null
  isRemembered: boolean
  lastSeenAt: string
  expiresAt: string
  email: string | null
  cartCount: number
}

type Callback = (error?: unknown) => void

export class PostgresSessionStore implements SessionStore {
  readonly #touchAfterMs: number

  constructor(
    private readonly db: Db,
    private readonly lifetimes: SessionLifetimes,
    private readonly clock: Clock,
  ) {
    // The contract lets activity be recorded up to a tenth of the idle limit late, and at most a minute.
    this.#touchAfterMs = Math.min(lifetimes.idleSeconds * 100, 60_000)
  }

  get(id: string, callback: (error: unknown, session?: Session | null) => void): void {
    this.load(id).then((session) => callback(null, session), callback)
  }

  set(id: string, session: Session, callback: Callback): void {
    this.save(id, session).then(() => callback(), callback)
  }

  destroy(id: string, callback: Callback): void {
    this.db.session.deleteMany({ where: { id } }).then(() => callback(), callback)
  }

  private async load(id: string): Promise<Session | null> {
    const [row] = await queryRows<SessionRow>(
      this.db,
      Prisma.sql`
      SELECT s.data, s."userId", s."isRemembered", s."lastSeenAt", s."expiresAt", u.email,
        (CASE WHEN s."userId" IS NULL
          THEN (SELECT COALESCE(SUM(c.quantity), 0) FROM "CartItem" c WHERE c."sessionId" = s.id)
          ELSE (SELECT COALESCE(SUM(c.quantity), 0) FROM "CartItem" c WHERE c."userId" = s."userId")
        END)::int AS "cartCount"
      FROM "Session" s LEFT JOIN "User" u ON u.id = s."userId"
      WHERE s.id = ${id}`,
    )
    if (row === undefined) return null
    const now = this.clock.now().getTime()
    const lastSeenAt = Date.parse(row.lastSeenAt)
    if (this.hasEnded(row.isRemembered, lastSeenAt, Date.parse(row.expiresAt), now)) {
      await this.db.session.deleteMany({ where: { id } })
      return null
    }
    if (now - lastSeenAt >= this.#touchAfterMs) {
      await execute(this.db, Prisma.sql`UPDATE "Session" SET "lastSeenAt" = ${new Date(now)} WHERE id = ${id}`)
    }
    const viewer: Viewer = { email: row.email, cartCount: row.cartCount }
    const data = JSON.parse(row.data) as Record<string, unknown>
    return { ...data, userId: row.userId ?? undefined, isRemembered: row.isRemembered, viewer } as Session
  }

  private hasEnded(isRemembered: boolean, lastSeenAt: number, expiresAt: number, now: number): boolean {
    if (expiresAt <= now) return true
    return !isRemembered && lastSeenAt + this.lifetimes.idleSeconds * 1000 <= now
  }

  private async save(id: string, session: Session): Promise<void> {
    const { viewer, userId, isRemembered = false, userAgent = '', ...data } = session
    const now = this.clock.now()
    if (viewer !== undefined) {
      // Loaded from this store: update only. Upserting here could bring back a session that a
      // concurrent request (a sign-out) has just deleted, and an ended id is never taken up again.
      // The most frequent write (a flash message), so it goes past the client (see direct-sql.ts).
      await execute(
        this.db,
        Prisma.sql`
          UPDATE "Session" SET data = ${JSON.stringify(data)}::jsonb, "userId" = ${userId ?? null}, "lastSeenAt" = ${now}
          WHERE id = ${id}`,
      )
      return
    }
    const json = JSON.parse(JSON.stringify(data))
    const lifetimeSeconds = isRemembered ? this.lifetimes.rememberMaxSeconds : this.lifetimes.maxSeconds
    const fields = {
      data: json,
      userId: userId ?? null,
      isRemembered,
      userAgent: userAgent.slice(0, 512),
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + lifetimeSeconds * 1000),
    }
    // New in this request (a first cart line, or a sign-in's regenerated id, which is saved twice).
    await this.db.session.upsert({ where: { id }, create: { id, createdAt: now, ...fields }, update: fields })
  }
}

/** Deletes every session past its idle or absolute limit (their guest carts go with them). */
export async function sweepExpiredSessions(db: Db, lifetimes: SessionLifetimes, now: Date): Promise<number> {
  const idleCutoff = new Date(now.getTime() - lifetimes.idleSeconds * 1000)
  const { count } = await db.session.deleteMany({
    where: { OR: [{ expiresAt: { lte: now } }, { isRemembered: false, lastSeenAt: { lte: idleCutoff } }] },
  })
  return count
}
