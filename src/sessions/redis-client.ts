// The Redis connection the session store uses. A request must never wait long on a Redis that is down: with
// no offline queue and short timeouts it fails fast (a 503, see plugins/errors.ts), while ioredis keeps
// reconnecting in the background, so the shop recovers by itself once Redis is back.
import { Redis } from 'ioredis'

export function openRedis(url: string, onError: (error: Error) => void): Redis {
  const redis = new Redis(url, {
    // A command sent while disconnected fails at once instead of piling up for a Redis that may not come back.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 2000,
    // Reconnect quickly at first, then every second: a restarted Redis is found within a second.
    retryStrategy: (times) => Math.min(times * 100, 1000),
  })
  // Without a listener ioredis reports every failed reconnect as an unhandled 'error' event.
  redis.on('error', onError)
  return redis
}
