// What every page's layout needs: who is signed in, the cart count, a CSRF token, a flash message.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Viewer } from '../sessions/types.ts'
import { csrfTokenFor } from './csrf.ts'

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

/** The context of a guest with an empty cart and no message, but for the CSRF token. */
export const PLAIN_GUEST: Omit<PageContext, 'csrfToken'> = Object.freeze({
  viewer: Object.freeze({ email: null, cartCount: 0 }),
  flash: null,
})

export async function fillPageContext(request: FastifyRequest, reply: FastifyReply) {
  const { session } = request
  const flash = session.flash ?? null
  // Shown once: taking it out of the session marks the session changed, so the store saves that.
  if (flash !== null) session.flash = undefined
  const needsToken = session.userId !== undefined || request.routeOptions.config.hasNoGuestForms !== true
  const csrfToken = needsToken ? csrfTokenFor(request, reply) : ''
  const context: PageContext = { viewer: session.viewer ?? PLAIN_GUEST.viewer, csrfToken, flash }
  reply.locals = context
}

/**
 * True when the layout would show this visitor nothing of their own but the CSRF token, so that the page
 * rendered with PLAIN_GUEST (views.ts, viewForAnyGuest) is theirs too. Any other field in the context turns
 * this off, since it might be the visitor's own, until it is judged here.
 */
export function isPlainGuest(locals: Record<string, unknown>): boolean {
  const { viewer, csrfToken, flash, ...rest } = locals as PageContext
  return (
    viewer?.email === PLAIN_GUEST.viewer.email &&
    viewer.cartCount === PLAIN_GUEST.viewer.cartCount &&
    flash === PLAIN_GUEST.flash &&
    typeof csrfToken === 'string' &&
    Object.keys(rest).length === 0
  )
}
