// A cart change's flash message ("Added … to your cart."), written by the change's own statement when the
// session is a row of PostgreSQL's store: an add then costs one commit instead of two (the line, then the
// session's save of the message). On Redis, or for a guest session this request has only just stored, the
// message goes through the session's save like any other key.
import type { FastifyRequest } from 'fastify'
import { rememberWritten } from '../sessions/changes.ts'
import { sessionRowId } from '../sessions/ids.ts'
import type { FlashAlong } from './cart.ts'

/** The change's message: `capped` when an add hit the cap of 99. */
export type CartFlash = { done: string; capped: string }

/** The flash for the cart statement to write, or null when the session's save must write it. */
export function flashAlong(request: FastifyRequest, flash: CartFlash): FlashAlong | null {
  const { session } = request
  if (request.server.sessions.kind !== 'postgres' || session.stored === undefined) return null
  return { sessionRowId: sessionRowId(session), ...flash }
}

/** Leaves the message for the next page; if the statement wrote it already, the save has nothing to write. */
export function leaveFlash(request: FastifyRequest, message: string, isWritten: boolean): void {
  const { session } = request
  session.flash = message
  if (isWritten && session.stored !== undefined) rememberWritten(session.stored, 'flash', message)
}
