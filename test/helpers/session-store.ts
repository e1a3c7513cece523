// Which session store the suite runs on: PostgreSQL, or Redis with TEST_SESSION_STORE=redis (`npm run
// test:redis`). One suite for both: tests reach what a store holds through the functions here.
import { deleteRedisKeys } from '../../scripts/redis-keys.ts'

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
export function deleteTestRedisKeys(prefix: string): Promise<void> {
  return deleteRedisKeys(REDIS_URL, prefix)
}
