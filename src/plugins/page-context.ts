// What every page's layout needs: who is signed in, the cart count, a CSRF token, a flash message.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { csrfTokenFor } from './csrf.ts'

declare module 'fastify' {
  interface FastifyReply {
    locals: Record<string, unknown>
  }
}

export async function fillPageContext(request: FastifyRequest, reply: FastifyReply) {
  const { session } = request
  const flash = session.flash ?? null
  // Shown once: taking it out of the session marks the session changed, so the store saves that.
  if (flash !== null) session.flash = undefined
  reply.locals = {
    viewer: session.viewer ?? { email: null, cartCount: 0 },
    csrfToken: csrfTokenFor(request, reply),
    flash,
  }
}
