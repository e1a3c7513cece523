// Server-side sessions: the `sid` cookie carries only a signed random id; everything else is in PostgreSQL.
import fastifyCookie from '@fastify/cookie'
import fastifySession from '@fastify/session'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { SessionLifetimes } from '../config.ts'
import type { Clock } from '../shared/clock.ts'
import { PostgresSessionStore, type StoredRecord, type Viewer } from './session-store.ts'

declare module 'fastify' {
  interface Session {
    userId?: number
    isRemembered?: boolean
    userAgent?: string
    /** A message shown once, on the next page. */
    flash?: string
    /** Set by the store on load, and only there: the session has a row (see session-store.ts). */
    stored?: StoredRecord
    /** What the page header shows, loaded with the session; display data, never persisted. */
    viewer?: Viewer
  }
}

export type SessionOptions = {
  secret: string
  lifetimes: SessionLifetimes
  isSecureCookie: boolean
  clock: Clock
}

export const sessionPlugin = fp(
  async (app: FastifyInstance, options: SessionOptions) => {
    // The same secret signs the CSRF cookie (@fastify/cookie) and the session id (@fastify/session).
    await app.register(fastifyCookie, { secret: options.secret })
    const store = new PostgresSessionStore(app.db, options.lifetimes, options.clock)
    await app.register(fastifySession, {
      secret: options.secret,
      cookieName: 'sid',
      store,
      // No row and no cookie for a visitor who only browses: a session is saved once it holds something.
      saveUninitialized: false,
      // The cookie is sent when the session changes, not on every response; lifetimes are enforced on the server.
      rolling: false,
      cookie: { httpOnly: true, sameSite: 'lax', path: '/', secure: options.isSecureCookie },
    })
  },
  { name: 'session', dependencies: ['db'] },
)
