// The sign-in throttle's counters in Redis: per key a sorted set of the window's failures, checked and counted
// by one script (redis-scripts.ts), so parallel guesses cannot pass the limit together. Each set expires with
// its window, so nothing needs sweeping.
import { randomUUID } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Clock } from '../shared/clock.ts'
import type { RedisKeys } from './redis-keys.ts'
import type { Scripts } from './redis-scripts.ts'
import type { Attempts } from './types.ts'

export function redisAttempts(
  redis: Redis,
  scripts: Scripts,
  keys: RedisKeys,
  clock: Clock,
  windowSeconds: number,
): Attempts {
  const windowMs = windowSeconds * 1000
  return {
    async reserve(counted) {
      const now = clock.now().getTime()
      const member = `${now}:${randomUUID()}`
      const limits = counted.map(({ limit }) => limit)
      const [isAllowed, since] = (await scripts.reserveAttempt(
        counted.map(({ key }) => keys.attempts(key)),
        [now, windowMs, member, ...limits],
      )) as [number, string]
      // A reservation names what to remove should the attempt succeed: its member in each key's set.
      if (isAllowed === 1) return { isAllowed: true, ids: counted.map(({ key }) => JSON.stringify([key, member])) }
      const retryAt = Number(since) + windowMs
      return { isAllowed: false, retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now) / 1000)) }
    },
    async clear(forget, reservation) {
      const pipeline = redis.pipeline()
      for (const key of forget) pipeline.del(keys.attempts(key))
      for (const id of reservation.ids) {
        const [key, member] = JSON.parse(id) as [string, string]
        pipeline.zrem(keys.attempts(key), member)
      }
      const failure = (await pipeline.exec())?.find(([error]) => error !== null)?.[0]
      if (failure) throw failure
    },
  }
}
