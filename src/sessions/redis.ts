// Sessions in Redis (SESSION_REDIS_URL): the sessions, the per-account sets and the sign-in throttle's counters.
// PostgreSQL keeps everything else, and one thing for Redis' sessions: a guest's cart lines refer to an anchor
// row in the Session table (redis-store.ts), so they end with the session. Why a sweep and not Redis' keyspace
// notifications: a notification is sent once, to whoever is subscribed at that moment, so an instance that is
// restarting (or a Redis restart) would lose it, and the guest's lines would stay for ever; the sweep below
// asks Redis which anchored sessions are gone, and catches up after any outage.
import { once } from 'node:events'
import type { FastifyBaseLogger } from 'fastify'
import type { Redis } from 'ioredis'
import { THROTTLE_WINDOW_SECONDS } from '../auth/throttle.ts'
import type { SessionLifetimes } from '../config.ts'
import type { Database } from '../db/client.ts'
import { type RawRow, text } from '../db/decode.ts'
import { Prisma } from '../generated/prisma/client.ts'
import type { Clock } from '../shared/clock.ts'
import { redisAccounts } from './redis-accounts.ts'
import { redisAttempts } from './redis-attempts.ts'
import { openRedis } from './redis-client.ts'
import { isRedisUnavailable } from './redis-errors.ts'
import { type RedisKeys, redisKeys } from './redis-keys.ts'
import { defineScripts } from './redis-scripts.ts'
import { RedisSessionStore } from './redis-store.ts'
import type { Sessions } from './types.ts'

export type RedisOptions = { url: string; keyPrefix: string; log: FastifyBaseLogger }

// An anchor younger than this is left alone: its session may be in the middle of being stored.
const ANCHOR_GRACE_MS = 60_000
const SWEEP_BATCH = 500

export async function redisSessions(
  db: Database,
  lifetimes: SessionLifetimes,
  clock: Clock,
  options: RedisOptions,
): Promise<Sessions> {
  const redis = openRedis(options.url, (error) => options.log.warn({ err: error }, 'redis: connection failed'))
  // Started with Redis down, the shop still starts (pages that need a session answer 503 until Redis is back).
  await Promise.race([once(redis, 'ready'), new Promise((resolve) => setTimeout(resolve, 2000).unref())])
  const keys = redisKeys(options.keyPrefix)
  const scripts = defineScripts(redis)
  return {
    kind: 'redis',
    store: new RedisSessionStore(redis, scripts, keys, db, lifetimes, clock),
    accounts: redisAccounts(redis, scripts, keys, db, lifetimes, clock),
    attempts: redisAttempts(redis, scripts, keys, clock, THROTTLE_WINDOW_SECONDS),
    async sweep() {
      await sweepGuestAnchors(db, redis, keys, clock.now())
    },
    isUnavailable: isRedisUnavailable,
    async close() {
      await redis.quit().catch(() => redis.disconnect())
    },
  }
}

/** Deletes the anchors (and so the cart lines) of guest sessions that Redis no longer holds. */
export async function sweepGuestAnchors(db: Database, redis: Redis, keys: RedisKeys, now: Date): Promise<number> {
  const settled = new Date(now.getTime() - ANCHOR_GRACE_MS)
  let deleted = await db.sql.execute(Prisma.sql`DELETE FROM "Session" WHERE "expiresAt" <= ${now}`)
  let after = ''
  for (;;) {
    const ids = await db.sql.rows(
      Prisma.sql`SELECT id FROM "Session" WHERE "createdAt" <= ${settled} AND id > ${after} ORDER BY id LIMIT ${SWEEP_BATCH}`,
      (row: RawRow) => text(row, 'id'),
    )
    if (ids.length === 0) return deleted
    const pipeline = redis.pipeline()
    for (const id of ids) pipeline.exists(keys.session(id))
    const answers = (await pipeline.exec()) ?? []
    const gone = ids.filter((_, index) => answers[index]?.[0] === null && answers[index]?.[1] === 0)
    if (gone.length > 0) {
      deleted += await db.sql.execute(Prisma.sql`DELETE FROM "Session" WHERE id IN (${Prisma.join(gone)})`)
    }
    after = ids[ids.length - 1] as string
  }
}
