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
      getUserInfo: signedInAs,
      getToken: (request: FastifyRequest) => (request.body as { _csrf?: unknown } | undefined)?._csrf as string,
    })
    app.addHook('preHandler', (request, reply, done) => {
      if (request.method === 'POST') app.csrfProtection(request, reply, done)
      else done()
    })
  },
  { name: 'csrf', dependencies: ['session'] },
)

// Tokens are bound to who is signed in: signing in or out makes the old ones worthless.
function signedInAs(request: FastifyRequest): string {
  return String(request.session.userId ?? 'guest')
}

/** The token for a page's forms. */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: signedInAs(request) })
}
