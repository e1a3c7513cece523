// The sign-in guard: every signed-in page uses it (as a hook of its route module), none checks by hand.
import type { FastifyReply, FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Where a guest comes back to after signing in, for routes that are not pages (POSTs). */
    signInNext?: string
  }
}

/** A guest is sent to sign in, and back to the page they asked for afterwards. */
export async function requireUser(request: FastifyRequest, reply: FastifyReply) {
  if (request.session.userId !== undefined) return
  const next = request.method === 'GET' ? request.url : (request.routeOptions.config.signInNext ?? '/account')
  return reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303)
}

/** The signed-in user's id, for handlers behind requireUser. */
export function currentUserId(request: FastifyRequest): number {
  const { userId } = request.session
  if (userId === undefined) throw new Error('currentUserId used on a route without requireUser')
  return userId
}
