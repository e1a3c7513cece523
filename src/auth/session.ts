// Starting and ending a signed-in session: the one place that changes who a session belongs to.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { mergeGuestCart } from '../cart/cart.ts'
import { markConfirmed } from '../confirm/confirm.ts'
import { sessionRowId } from '../sessions/ids.ts'
import { safeNextPath } from './next-path.ts'
import { recordSignIn } from './sign-in-record.ts'
import type { User } from './users.ts'

export async function startSignedInSession(
  request: FastifyRequest,
  user: User,
  options: { isRemembered: boolean; rememberMaxSeconds: number },
): Promise<void> {
  const { session } = request
  // Only a session that is in the database can own guest cart lines.
  if (session.stored !== undefined) await mergeGuestCart(request.server.db, sessionRowId(session), user.id)
  // A new id at sign-in, and the old row deleted: an id planted before sign-in (session fixation) is worthless.
  await session.regenerate()
  const signedIn = request.session
  signedIn.userId = user.id
  // Read with the password hash: the session is written only if nothing ended the account's sessions since.
  signedIn.credentialVersion = user.credentialVersion
  signedIn.isRemembered = options.isRemembered
  signedIn.userAgent = request.headers['user-agent'] ?? ''
  // Having just entered the password (or used a passkey) is confirming it's you.
  markConfirmed(signedIn, request.server.clock.now())
  // The browser keeps a remembered cookie until the session's absolute end; without remember it ends with the
  // browser. Set either way: regenerate() carries the old cookie's settings over, a remembered Expires included.
  // Date.now(), not the app's clock: @fastify/session checks this Expires against Date.now() itself.
  signedIn.cookie.expires = options.isRemembered ? new Date(Date.now() + options.rememberMaxSeconds * 1000) : null
}

export type SignInOptions = { isRemembered: boolean; next: string; rememberMaxSeconds: number }

/**
 * The end of a sign-in that began with the password: at once, or after the second step (src/two-factor/). The
 * signed-in session (a new id, the guest cart merged, confirmed), then 303 to `next` when it is a local path.
 */
export async function completeSignIn(
  request: FastifyRequest,
  reply: FastifyReply,
  user: User,
  options: SignInOptions,
  method: 'password' | 'two-factor',
) {
  await startSignedInSession(request, user, options)
  await recordSignIn(request, user, method)
  return reply.redirect(safeNextPath(options.next), 303)
}

/** Deletes the session on the server and clears the cookie; the next request starts with no session. */
export async function endCurrentSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  await request.session.destroy()
  reply.clearSessionCookie()
}
