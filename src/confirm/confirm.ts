// Confirming it's you: before a change an attacker with a borrowed session would want most (the email, the
// password, factors, other sessions, deleting the account), the owner must have entered the password (or used
// a passkey) in this session within CONFIRM_SECONDS. Signing in and registering count as confirming.
import type { FastifyReply, FastifyRequest, Session } from 'fastify'

declare module 'fastify' {
  interface Session {
    /** When the owner last proved it is them in this session (ms since the epoch). */
    confirmedAtMs?: number
  }
}

export function markConfirmed(session: Session, now: Date): void {
  session.confirmedAtMs = now.getTime()
}

export function isConfirmed(session: Session, now: Date, confirmSeconds: number): boolean {
  const at = session.confirmedAtMs
  return at !== undefined && now.getTime() - at < confirmSeconds * 1000
}

/** Where the confirm page sends the visitor back to: the page itself, or for a POST the page its form is on. */
export function confirmPath(request: FastifyRequest): string {
  const next = request.method === 'GET' ? request.url : (request.routeOptions.config.signInNext ?? '/account')
  return `/account/confirm?next=${encodeURIComponent(next)}`
}

/**
 * A preHandler for the guarded routes, after requireUser: a stale confirmation is sent to the confirm page
 * (303), or, for a JSON request (the passkey pages' scripts), told where to go with a 401.
 */
export function confirmationGuard(confirmSeconds: number) {
  return async function requireConfirmed(request: FastifyRequest, reply: FastifyReply) {
    if (isConfirmed(request.session, request.server.clock.now(), confirmSeconds)) return
    const confirm = confirmPath(request)
    if (request.headers['content-type']?.startsWith('application/json')) {
      return reply.code(401).send({ confirm })
    }
    return reply.redirect(confirm, 303)
  }
}
