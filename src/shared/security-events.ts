// Security events, as /account/activity lists them: what happened to an account, from which browser and
// address. Written in the same transaction as the change they describe.
import type { FastifyRequest } from 'fastify'
import { describeBrowser } from '../account/sessions.ts'
import type { Prisma } from '../generated/prisma/client.ts'

export type SecurityEventKind =
  | 'signed-in'
  | 'signed-in-two-factor'
  | 'signed-in-passkey'
  | 'sign-in-failed'
  | 'sign-in-failed-code'
  | 'session-ended'
  | 'other-sessions-ended'
  | 'password-changed'
  | 'password-reset'
  | 'passkey-added'
  | 'passkey-removed'
  | 'email-changed'
  | 'two-factor-enabled'
  | 'two-factor-disabled'
  | 'recovery-codes-replaced'
  | 'recovery-code-used'

/** The browser and address a request came from, as an event records them. */
export type SeenFrom = { browser: string; ip: string }

export function seenFrom(request: FastifyRequest): SeenFrom {
  return { browser: describeBrowser(request.headers['user-agent'] ?? ''), ip: request.ip }
}

type Writer = Pick<Prisma.TransactionClient, 'securityEvent'>

export function recordSecurityEvent(tx: Writer, userId: number, kind: SecurityEventKind, from: SeenFrom, now: Date) {
  return tx.securityEvent.create({ data: { userId, kind, browser: from.browser, ip: from.ip, createdAt: now } })
}
