// The throttles' failures on either store: the sign-in throttle's in the session store, the sign-up throttle's
// always in PostgreSQL (LoginFailure rows).
import { redisKeys } from '../../src/sessions/redis-keys.ts'
import { isRedisSuite, redisPrefixOf, type StoreOf, scanKeys, withRedis } from './session-store.ts'

/** One failure the sign-in throttle counts. */
export type StoredFailure = { key: string; failedAt: Date }

/** Every failure a throttle counts: the sign-in throttle's in the store, the sign-up throttle's in PostgreSQL. */
export async function throttleFailures(store: StoreOf): Promise<StoredFailure[]> {
  const rows = await store.db.prisma.loginFailure.findMany({
    select: { key: true, failedAt: true },
    orderBy: { id: 'asc' },
  })
  if (!isRedisSuite) return rows
  const attempts = redisKeys(redisPrefixOf(store.config.databaseUrl)).attempts('')
  return withRedis(async (redis) => {
    const failures: StoredFailure[] = [...rows]
    for (const setKey of await scanKeys(redis, `${attempts}*`)) {
      const scored = await redis.zrange(setKey, 0, -1, 'WITHSCORES')
      for (let i = 1; i < scored.length; i += 2) {
        failures.push({ key: setKey.slice(attempts.length), failedAt: new Date(Number(scored[i])) })
      }
    }
    return failures
  })
}

/** Records `count` sign-in failures of `key` at `at`, as the throttle would have. */
export async function recordFailures(store: StoreOf, key: string, count: number, at: Date): Promise<void> {
  if (!isRedisSuite) {
    await store.db.prisma.loginFailure.createMany({
      data: Array.from({ length: count }, () => ({ key, failedAt: at })),
    })
    return
  }
  const setKey = redisKeys(redisPrefixOf(store.config.databaseUrl)).attempts(key)
  await withRedis(async (redis) => {
    for (let i = 0; i < count; i++) await redis.zadd(setKey, at.getTime(), `${at.getTime()}:planted-${i}`)
  })
}
