// Server-side sessions: the session cookie carries only a signed random id; everything else is in the store
// (`app.sessions`: PostgreSQL or Redis).
import fastifyCookie, { Signer } from '@fastify/cookie'
import fastifySession from '@fastify/session'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { StoredRecord, Viewer } from '../sessions/types.ts'
import { keysFor } from './secrets.ts'

declare module 'fastify' {
  interface Session {
    userId?: number
    isRemembered?: boolean
    userAgent?: string
    /** The account's credential version read with the password hash at sign-in; only the first save uses it. */
    credentialVersion?: number
    /** A message shown once, on the next page. */
    flash?: string
    /** Set by the store on load, and only there: the session is stored (see sessions/types.ts). */
    stored?: StoredRecord
    /** What the page header shows, loaded with the session; display data, never persisted. */
    viewer?: Viewer
  }
  interface FastifyReply {
    /** Clears the session cookie, with the attributes it was set with (a `__Host-` cookie needs them). */
    clearSessionCookie(): void
  }
}

export type SessionOptions = {
  /** SESSION_SECRET, then the retiring ones. */
  secrets: readonly string[]
  isSecureCookie: boolean
}

export const sessionPlugin = fp(
  async (app: FastifyInstance, options: SessionOptions) => {
    // `__Host-` (a Secure cookie only) stops a sibling subdomain from planting or overwriting the cookie.
    const cookieName = options.isSecureCookie ? '__Host-sid' : 'sid'
    const cookie = { httpOnly: true, sameSite: 'lax', path: '/', secure: options.isSecureCookie } as const
    // Its own key (see secrets.ts). @fastify/cookie gets the same signer, so app.signCookie is the session's.
    const signer = new Signer(keysFor(options.secrets, 'session cookie'))
    await app.register(fastifyCookie, { secret: signer })
    const renewed = new WeakSet<FastifyRequest>()
    if (options.secrets.length > 1) resignRetiredCookies(app, cookieName, signer, renewed)
    await app.register(fastifySession, {
      secret: signer,
      cookieName,
      store: app.sessions.store,
      // No row and no cookie for a visitor who only browses: a session is saved once it holds something.
      saveUninitialized: false,
      // The cookie is sent when the session changes, not on every response; lifetimes are enforced on the server.
      rolling: false,
      cookie,
    })
    app.decorateReply('clearSessionCookie', function clearSessionCookie() {
      this.clearCookie(cookieName, cookie)
    })
    app.addHook('onSend', async (request, reply) => {
      // A cookie signed with a retiring secret, of a session that goes on: sent again, signed with SESSION_SECRET
      // (when the session was saved, @fastify/session has just sent it).
      const { session } = request
      if (!renewed.has(request) || session?.stored === undefined || session.isSaved()) return
      if (session.cookie.secure === true && request.protocol !== 'https') return
      reply.setCookie(cookieName, session.encryptedSessionId, {
        ...cookie,
        expires: session.cookie.expires ?? undefined,
      })
    })
  },
  { name: 'session', dependencies: ['sessions'] },
)

/**
 * Before @fastify/session reads the cookie: one signed with a retiring secret is handed to it as if signed with
 * SESSION_SECRET, since @fastify/session would otherwise take the mismatch for a replaced cookie and clear it.
 */
function resignRetiredCookies(app: FastifyInstance, name: string, signer: Signer, renewed: WeakSet<FastifyRequest>) {
  app.addHook('onRequest', (request, _reply, done) => {
    const value = request.cookies[name]
    const unsigned = value === undefined ? null : signer.unsign(value)
    if (unsigned?.renew && unsigned.value !== null) {
      request.cookies[name] = signer.sign(unsigned.value)
      renewed.add(request)
    }
    done()
  })
}
