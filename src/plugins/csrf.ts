// CSRF protection for every POST: a token in the form's hidden `_csrf` field, checked against a secret
// kept in a signed, HttpOnly `csrf` cookie (the one cookie beside `sid`). Keeping the secret in a cookie
// means a visitor who only browses still costs no database write, and any instance can check any token.
import fastifyCsrf from '@fastify/csrf-protection'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

export const csrfPlugin = fp(
  async (app: FastifyInstance, options: { isSecureCookie: boolean; secret: string }) => {
    await app.register(fastifyCsrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'csrf',
      cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: options.isSecureCookie },
      csrfOpts: { userInfo: true, hmacKey: options.secret },
      getUserInfo: tokenBindingOf,
      getToken: tokenOf,
    })
    app.addHook('preHandler', (request, reply, done) => {
      if (request.method === 'POST') app.csrfProtection(request, reply, done)
      else done()
    })
  },
  { name: 'csrf', dependencies: ['session'] },
)

// A form carries the token in its hidden `_csrf` field; a script's JSON POST (the passkey pages) in the
// X-CSRF-Token header, which another site cannot set on a cross-site request without CORS allowing it.
function tokenOf(request: FastifyRequest): string {
  if (request.headers['content-type']?.startsWith('application/json')) {
    return request.headers['x-csrf-token'] as string
  }
  return (request.body as { _csrf?: unknown } | undefined)?._csrf as string
}

// Tokens are bound to the signed-in session they were issued in (a guest may have no stored session yet, so
// guests share one binding, and the cookie's secret keeps browsers apart). Signing in or out makes the old
// tokens worthless, and a token of an earlier session of the same account is no good in a later one.
function tokenBindingOf(request: FastifyRequest): string {
  const { session } = request
  return session.userId === undefined ? 'guest' : `session:${session.sessionId}`
}

/** The token for a page's forms. */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: tokenBindingOf(request) })
}
