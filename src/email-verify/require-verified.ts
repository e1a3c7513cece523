// Checkout asks for a verified email: an order's confirmation and every notice go to that address, so it must
// be the owner's. Runs after requireUser; back to the route's `signInNext` (the cart) once verified.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { emailStateOf } from './verification.ts'

export async function requireVerifiedEmail(request: FastifyRequest, reply: FastifyReply) {
  const { userId } = request.session
  if (userId === undefined) return
  const state = await emailStateOf(request.server.db, userId)
  if (state?.isVerified) return
  const next = request.routeOptions.config.signInNext ?? '/account'
  return reply.redirect(`/email/verify?next=${encodeURIComponent(next)}`, 303)
}
