// Whose cart a request sees: the account's when signed in, else the guest session's.
import type { FastifyRequest } from 'fastify'
import { sessionRowId } from '../sessions/ids.ts'
import type { CartOwner } from './cart.ts'

/** The owner of the cart this request shows, or null for a guest who has no session (so no cart) yet. */
export function cartOwnerOf(request: FastifyRequest): CartOwner | null {
  const { session } = request
  if (session.userId !== undefined) return { userId: session.userId }
  const isStored = session.stored !== undefined || session.isSaved()
  return isStored ? { sessionId: sessionRowId(session) } : null
}

/** The owner for a change to the cart; a guest's first change stores the session so it can own lines. */
export async function cartOwnerForChange(request: FastifyRequest): Promise<CartOwner> {
  const owner = cartOwnerOf(request)
  if (owner !== null) return owner
  const { session } = request
  request.server.csrf.carryGuestBinding(request)
  await session.save()
  return { sessionId: sessionRowId(session) }
}
