// The Redis the session suite runs on (`npm run test:redis`): checked before the run, and every key under a
// prefix deleted after a test database or a `--store redis` bench run.
import { Redis } from 'ioredis'

export async function deleteRedisKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 })
  try {
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

/** The suite's Redis answers, or the run stops with one line saying what to start. */
export async function requireRedis(): Promise<void> {
  const url = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: () => null,
  })
  redis.on('error', () => {})
  try {
    await redis.connect()
    await redis.ping()
  } catch {
    console.error(`The Redis session suite needs Redis at ${url}: start redis-server, or set TEST_REDIS_URL.`)
    process.exit(1)
  } finally {
    redis.disconnect()
  }
}
