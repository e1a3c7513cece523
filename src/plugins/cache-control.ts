// Cache-Control for every answer that does not set its own (the static files do). A page for a signed-in
// visitor, and every cart page, is never stored anywhere: after signing out, Back or a shared computer's
// cache must not show the account or the cart again. Any other page is the visitor's own too (its header,
// its CSRF token), so only the browser may keep it, and asks again before showing it.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

const NEVER_STORED = 'no-store'
const BROWSER_ONLY = 'private, no-cache'

export const cacheControlPlugin = fp(
  async (app: FastifyInstance) => {
    // Signed in when the request came or when it leaves: a sign-out's own answer is a signed-in page too.
    const cameSignedIn = new WeakSet<FastifyRequest>()
    app.addHook('onRequest', async (request) => {
      if (request.session?.userId !== undefined) cameSignedIn.add(request)
    })
    app.addHook('onSend', async (request, reply) => {
      if (reply.hasHeader('cache-control')) return
      const isSignedIn = cameSignedIn.has(request) || request.session?.userId !== undefined
      reply.header('cache-control', isSignedIn || isCartPage(request) ? NEVER_STORED : BROWSER_ONLY)
    })
  },
  { name: 'cache-control', dependencies: ['session'] },
)

/** The cart, and the pages its forms answer with (a refused quantity, an empty cart at checkout). */
function isCartPage(request: FastifyRequest): boolean {
  const route = request.routeOptions.url ?? ''
  return route === '/cart' || route.startsWith('/cart/') || route === '/checkout'
}
