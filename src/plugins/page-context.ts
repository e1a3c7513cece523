// What every page's layout needs: who is signed in, the cart count, a CSRF token, a flash message.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { csrfTokenFor } from './csrf.ts'
import type { Viewer } from './session-store.ts'

declare module 'fastify' {
  interface FastifyReply {
    locals: Record<string, unknown>
  }
  interface FastifyContextConfig {
    /** The page shows a guest no form: a guest gets no CSRF token, so no csrf cookie is set for one. */
    hasNoGuestForms?: boolean
  }
}

export type PageContext = { viewer: Viewer; csrfToken: string; flash: string | null }

const GUEST: Viewer = Object.freeze({ email: null, cartCount: 0 })

export async function fillPageContext(request: FastifyRequest, reply: FastifyReply) {
  const { session } = request
  const flash = session.flash ?? null
  // Shown once: taking it out of the session marks the session changed, so the store saves that.
  if (flash !== null) session.flash = undefined
  const needsToken = session.userId !== undefined || request.routeOptions.config.hasNoGuestForms !== true
  const csrfToken = needsToken ? csrfTokenFor(request, reply) : ''
  const context: PageContext = { viewer: session.viewer ?? GUEST, csrfToken, flash }
  reply.locals = context
}

/**
 * True when the layout shows this visitor nothing of their own but the CSRF token: a guest with an empty cart
 * and no message. Every such visitor sees a page alike but for the token (see views.ts, viewForGuests). Any
 * other field in the context turns this off, since it might be the visitor's own, until it is judged here.
 */
export function isPlainGuest(locals: Record<string, unknown>): boolean {
  const { viewer, csrfToken, flash, ...rest } = locals as PageContext
  return (
    viewer?.email === null &&
    viewer.cartCount === 0 &&
    flash === null &&
    typeof csrfToken === 'string' &&
    Object.keys(rest).length === 0
  )
}
