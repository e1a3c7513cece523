// GET /session: this browser's cookies beside what the server keeps for its session. What each line says
// lives in cookies.ts and describe.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { getCart } from '../cart/cart.ts'
import { cartOwnerOf } from '../cart/owner.ts'
import type { SessionLifetimes } from '../config.ts'
import { describeCookies, ID_PREFIX_LENGTH } from './cookies.ts'
import { describeServerSession, type SessionFacts } from './describe.ts'

export type SessionPageOptions = { lifetimes: SessionLifetimes; isSecureCookie: boolean }

/** The session as the store loaded it, or null: no cookie, or one with no live session behind it. */
function storedSessionOf(request: FastifyRequest): SessionFacts | null {
  const { stored, isRemembered = false, viewer } = request.session
  if (stored === undefined) return null
  return { stored, isRemembered, email: viewer?.email ?? null, storeKind: request.server.sessions.kind }
}

export async function sessionPageRoutes(app: FastifyInstance, options: SessionPageOptions) {
  // Guests have no form here, so the page sets no CSRF cookie: looking at the page changes nothing it shows.
  app.get('/session', { config: { hasNoGuestForms: true } }, async (request, reply) => {
    const session = storedSessionOf(request)
    const owner = session === null ? null : cartOwnerOf(request)
    const cartLines = owner === null ? [] : (await getCart(app.db, owner)).lines
    const cookies = describeCookies({
      cookieNames: Object.keys(request.cookies),
      idPrefix: session === null ? null : request.session.sessionId.slice(0, ID_PREFIX_LENGTH),
      sidExpires: session === null ? null : (request.session.cookie.expires ?? null),
      isSecureCookie: options.isSecureCookie,
    })
    const server =
      session === null ? null : describeServerSession(session, cartLines, options.lifetimes, app.clock.now())
    // It describes this visitor's session: never kept by a cache, shared or not.
    reply.header('cache-control', 'no-store')
    const hasUnknownSid = session === null && request.cookies.sid !== undefined
    return reply.viewAsync('session/index', { title: 'Your session', cookies, server, hasUnknownSid })
  })
}
