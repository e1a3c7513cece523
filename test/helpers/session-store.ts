// Which session store the suite runs on: PostgreSQL, or Redis with TEST_SESSION_STORE=redis (`npm run
// test:redis`). One suite for both: tests reach what a store holds through the functions here.
import { Redis } from 'ioredis'

export const isRedisSuite = process.env.TEST_SESSION_STORE === 'redis'

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
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 })
  try {
    await redis.connect()
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      if (keys.length > 0) await redis.unlink(...keys)
      cursor = next
    } while (cursor !== '0')
  } finally {
    redis.disconnect()
  }
}
