// A session's row in the Session table is keyed by the SHA-256 (hex) of the id its cookie carries: the table,
// or a copy of it, holds no id that works as a cookie. Only the store and what refers to a row use these.
import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'

/** The row id of the session whose cookie carries `id`. */
export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex')
}

/** The row id of this request's session, for what refers to its row (a guest's cart lines, the sessions page). */
export function sessionRowId(session: FastifyRequest['session']): string {
  return hashSessionId(session.sessionId)
}
