// Decorates the app with `app.sessions` (see types.ts): PostgreSQL by default, Redis when SESSION_REDIS_URL is
// set. Chosen once, here; nothing else knows which.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { SessionLifetimes } from '../config.ts'
import { postgresSessions } from './postgres.ts'
import type { Sessions } from './types.ts'

declare module 'fastify' {
  interface FastifyInstance {
    sessions: Sessions
  }
}

export type SessionsOptions = { lifetimes: SessionLifetimes; redisUrl?: string | undefined; redisKeyPrefix?: string }

export const sessionsPlugin = fp(
  async (app: FastifyInstance, options: SessionsOptions) => {
    const sessions =
      options.redisUrl === undefined
        ? postgresSessions(app.db, options.lifetimes, app.clock)
        : // Loaded only when asked for: a shop on PostgreSQL never loads the Redis client.
          await (await import('./redis.ts')).redisSessions(app.db, options.lifetimes, app.clock, {
            url: options.redisUrl,
            keyPrefix: options.redisKeyPrefix ?? 'cartwheel:',
            log: app.log,
          })
    app.decorate('sessions', sessions)
    app.addHook('onClose', () => sessions.close())
  },
  { name: 'sessions', dependencies: ['db'] },
)
