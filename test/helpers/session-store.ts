// Which session store the suite runs on: PostgreSQL, or Redis with TEST_SESSION_STORE=redis (`npm run
// test:redis`). One suite for both: tests reach what a store holds through the functions here.
import { Redis } from 'ioredis'
import { deleteRedisKeys } from '../../scripts/redis-keys.ts'
import type { Database } from '../../src/db/client.ts'
import { redisKeys } from '../../src/sessions/redis-keys.ts'
import { decodeRedisSession } from '../../src/sessions/redis-session.ts'

export const isRedisSuite = process.env.TEST_SESSION_STORE === 'redis'

/** For a test about PostgreSQL itself: `test(name, onlyOnPostgres('why'), fn)` skips it on Redis. */
export const onlyOnPostgres = (reason: string) => ({ skip: isRedisSuite && `PostgreSQL only: ${reason}` })

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

/** The app's settings for the store under test: on Redis, keys under a prefix of the test's own database. */
export function storeSettingsFor(databaseUrl: string): { env: Record<string, string>; redisKeyPrefix?: string } {
  if (!isRedisSuite) return { env: {} }
  return { env: { SESSION_REDIS_URL: REDIS_URL }, redisKeyPrefix: redisPrefixOf(databaseUrl) }
}

export function redisPrefixOf(databaseUrl: string): string {
  return `cw-test:${new URL(databaseUrl).pathname.slice(1)}:`
}

/** Deletes every key under the prefix, when the test database goes. */
export function deleteTestRedisKeys(prefix: string): Promise<void> {
  return deleteRedisKeys(REDIS_URL, prefix)
}

/** What a test needs to reach the store of a running app: its database and the database's URL (the prefix). */
export type StoreOf = { db: Database; config: { databaseUrl: string } }

/** A session as either store holds it; `id` is its row id (the hash of the cookie's id). */
export type StoredSession = {
  id: string
  publicId: string
  userId: number | null
  data: Record<string, unknown>
  isRemembered: boolean
  userAgent: string
  createdAt: Date
  lastSeenAt: Date
  expiresAt: Date
}

export type SessionFilter = { id?: string; userId?: number }

export async function withRedis<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 })
  try {
    return await work(redis)
  } finally {
    redis.disconnect()
  }
}

async function redisSessions(redis: Redis, prefix: string): Promise<StoredSession[]> {
  const keys = redisKeys(prefix)
  const found = await scanKeys(redis, `${keys.sessionPrefix}*`)
  const sessions: StoredSession[] = []
  for (const key of found) {
    const session = decodeRedisSession(await redis.hgetall(key))
    if (session === null) continue
    const { credentialVersion: _, isAnchored: __, ...stored } = session
    sessions.push({ id: key.slice(keys.sessionPrefix.length), ...stored })
  }
  return sessions
}

/** The sessions the app's store holds (on Redis not the guest carts' anchor rows, which are no sessions). */
export async function storedSessions(store: StoreOf, filter: SessionFilter = {}): Promise<StoredSession[]> {
  if (!isRedisSuite) {
    const rows = await store.db.prisma.session.findMany({ where: filter, orderBy: { id: 'asc' } })
    return rows.map(({ data, ...row }) => ({ ...row, data: data as Record<string, unknown> }))
  }
  const all = await withRedis((redis) => redisSessions(redis, redisPrefixOf(store.config.databaseUrl)))
  return all
    .filter((session) => filter.id === undefined || session.id === filter.id)
    .filter((session) => filter.userId === undefined || session.userId === filter.userId)
    .sort((a, b) => a.id.localeCompare(b.id))
}

export async function storedSession(store: StoreOf, id: string | undefined): Promise<StoredSession | null> {
  if (id === undefined) return null
  return (await storedSessions(store, { id }))[0] ?? null
}

export async function storedSessionOrThrow(store: StoreOf, id: string | undefined): Promise<StoredSession> {
  const session = await storedSession(store, id)
  if (session === null) throw new Error(`no stored session ${id}`)
  return session
}

export async function countSessions(store: StoreOf, filter: SessionFilter = {}): Promise<number> {
  return (await storedSessions(store, filter)).length
}

export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = []
  let cursor = '0'
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000)
    found.push(...batch)
    cursor = next
  } while (cursor !== '0')
  return found
}
