// @fastify/session's store in Redis: one hash per session, keyed by the hash of its id, expiring at the earlier
// of its idle and absolute ends (recomputed on each write, never past the absolute end). Every write is a
// script (redis-scripts.ts), so a late write cannot bring back a session that was destroyed. What the header
// shows (email, cart count) and the account's credential version come from PostgreSQL in one statement.
import type { Session } from 'fastify'
import type { Redis } from 'ioredis'
import type { SessionLifetimes } from '../config.ts'
import type { Database } from '../db/client.ts'
import { int, type RawRow, text } from '../db/decode.ts'
import { Prisma } from '../generated/prisma/client.ts'
import type { Clock } from '../shared/clock.ts'
import { changesOf, rememberLoaded } from './changes.ts'
import { HashedIdStore, splitSession } from './hashed-id-store.ts'
import { absoluteEnd, activityDelayMs, endOf, hasEnded } from './lifetimes.ts'
import type { RedisKeys } from './redis-keys.ts'
import type { Scripts } from './redis-scripts.ts'
import { dataField, dataFields, decodeRedisSession, encodeRedisSession, type RedisSession } from './redis-session.ts'
import type { Viewer } from './types.ts'

const decodeAccountRow = (row: RawRow) => ({
  email: text(row, 'email'),
  credentialVersion: int(row, 'credentialVersion'),
  cartCount: int(row, 'cartCount'),
})

export class RedisSessionStore extends HashedIdStore {
  readonly #touchAfterMs: number

  constructor(
    private readonly redis: Redis,
    private readonly scripts: Scripts,
    private readonly keys: RedisKeys,
    private readonly db: Database,
    private readonly lifetimes: SessionLifetimes,
    private readonly clock: Clock,
  ) {
    super()
    this.#touchAfterMs = activityDelayMs(lifetimes)
  }

  /** Deletes the session; a guest's cart anchor (see redis.ts) goes with it, and its lines by cascade. */
  protected async end(id: string): Promise<void> {
    const { accountPrefix, accountSuffix } = this.keys
    const anchored = await this.scripts.destroySession([this.keys.session(id)], [id, accountPrefix, accountSuffix])
    if (anchored === 1) await this.db.sql.execute(Prisma.sql`DELETE FROM "Session" WHERE id = ${id}`)
  }

  protected async load(id: string): Promise<Session | null> {
    const stored = decodeRedisSession(await this.redis.hgetall(this.keys.session(id)))
    if (stored === null) return null
    const now = this.clock.now()
    if (hasEnded(stored, this.lifetimes, now)) {
      await this.end(id)
      return null
    }
    const isStale = now.getTime() - stored.lastSeenAt.getTime() >= this.#touchAfterMs
    const [viewer] = await Promise.all([this.viewerOf(id, stored), isStale ? this.touch(id, stored, now) : null])
    // The account is gone, or its sessions were ended after this one was stored (a sign-in that was in flight
    // then, or an end whose Redis step failed): this session ends now.
    if (viewer === null) {
      await this.end(id)
      return null
    }
    const lastSeenAt = isStale ? now : stored.lastSeenAt
    const record = { createdAt: stored.createdAt, lastSeenAt, expiresAt: stored.expiresAt }
    rememberLoaded(record, stored.data)
    return {
      ...stored.data,
      userId: stored.userId ?? undefined,
      isRemembered: stored.isRemembered,
      stored: record,
      viewer,
    } as Session
  }

  /** The header's data in one statement; null when the session may no longer stand. */
  private async viewerOf(id: string, stored: RedisSession): Promise<Viewer | null> {
    if (stored.userId === null) {
      if (!stored.isAnchored) return { email: null, cartCount: 0 }
      const count = await this.db.sql.firstRow(
        Prisma.sql`SELECT COALESCE(SUM(quantity), 0)::int AS "cartCount" FROM "CartItem" WHERE "sessionId" = ${id}`,
        (row) => int(row, 'cartCount'),
      )
      return { email: null, cartCount: count ?? 0 }
    }
    const account = await this.db.sql.firstRow(
      Prisma.sql`
        SELECT u.email, u."credentialVersion",
          (SELECT COALESCE(SUM(c.quantity), 0) FROM "CartItem" c WHERE c."userId" = u.id)::int AS "cartCount"
        FROM "User" u WHERE u.id = ${stored.userId}`,
      decodeAccountRow,
    )
    if (account === null || stored.credentialVersion < account.credentialVersion) return null
    return { email: account.email, cartCount: account.cartCount }
  }

  private async touch(id: string, stored: RedisSession, now: Date): Promise<void> {
    await this.scripts.touchSession(this.keysOf(id, stored.userId), [now.getTime(), this.ttlMs(stored, now)])
  }

  /** Milliseconds to the session's end if nothing happens from `now` on (at least 1: PEXPIRE needs it). */
  private ttlMs(session: { isRemembered: boolean; expiresAt: Date }, now: Date): number {
    return Math.max(1, endOf({ ...session, lastSeenAt: now }, this.lifetimes).getTime() - now.getTime())
  }

  protected async save(id: string, session: Session): Promise<void> {
    const { stored, userId, credentialVersion, isRemembered, userAgent, data } = splitSession(session)
    const now = this.clock.now()
    if (stored !== undefined) {
      // Loaded from this store: update only, never re-create, and only the keys this request changed.
      const ttl = this.ttlMs({ isRemembered, expiresAt: stored.expiresAt }, now)
      const { changed, removed } = changesOf(stored, data)
      const pairs = dataFields(changed)
      await this.scripts.updateSession(this.keysOf(id, userId ?? null), [
        now.getTime(),
        ttl,
        pairs.length,
        ...pairs.flat(),
        ...removed.map(dataField),
      ])
      return
    }
    if (userId !== undefined && credentialVersion === undefined) {
      throw new Error('a sign-in must carry the credential version it checked')
    }
    const expiresAt = absoluteEnd(isRemembered, this.lifetimes, now)
    // A guest session that holds something can own cart lines, which live in PostgreSQL: it gets an anchor row
    // there first. regenerate()'s empty first save (cookie only) does not.
    const isAnchored = userId === undefined && Object.keys(data).some((key) => key !== 'cookie')
    if (isAnchored) await this.anchor(id, now, expiresAt)
    const fields = encodeRedisSession({
      data,
      userId: userId ?? null,
      isRemembered,
      userAgent,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      credentialVersion: credentialVersion ?? 0,
      isAnchored,
    })
    const ttl = this.ttlMs({ isRemembered, expiresAt }, now)
    await this.scripts.insertSession(this.keysOf(id, userId ?? null), [id, ttl, ...fields])
  }

  /** A write's keys: the session's, and its account's set (the session's again for a guest). */
  private keysOf(id: string, userId: number | null): string[] {
    return [this.keys.session(id), userId === null ? this.keys.session(id) : this.keys.account(userId)]
  }

  private async anchor(id: string, now: Date, expiresAt: Date): Promise<void> {
    await this.db.sql.execute(Prisma.sql`
      INSERT INTO "Session" (id, data, "createdAt", "lastSeenAt", "expiresAt")
      VALUES (${id}, '{}'::jsonb, ${now}::timestamptz, ${now}::timestamptz, ${expiresAt}::timestamptz)
      ON CONFLICT (id) DO NOTHING`)
  }
}
