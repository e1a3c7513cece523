// What a new password does, whether changed by a signed-in visitor or reset through a mailed link: in the
// caller's transaction, the new hash, the end of the account's sessions (and of any sign-in still in flight),
// a security event and the notice mail land together or not at all.
import type { Database } from '../db/client.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import type { Mail } from '../mail/compose.ts'
import { enqueueMail } from '../mail/outbox.ts'
import { recordSecurityEvent, type SeenFrom } from '../shared/security-events.ts'
import { hashPassword } from './passwords.ts'
import { forgetEmailFailures } from './throttle.ts'
import { revokeSignInsInFlight } from './users.ts'

/** The request's context: when, from where, and the notice to the account's address. */
export type NewPasswordRecord = { now: Date; seenFrom: SeenFrom; notice: (email: string) => Mail }

export type NewPassword = { userId: number; passwordHash: string } & (
  | { kind: 'password-changed'; keepSessionId: string }
  | { kind: 'password-reset' }
)

/**
 * A change keeps the session that made it and ends the others. A reset ends them all, forgets the email's
 * sign-in failures (the owner must be able to sign in at once) and marks the email verified: the link proved
 * the inbox is theirs.
 */
export async function writeNewPassword(tx: Prisma.TransactionClient, change: NewPassword, record: NewPasswordRecord) {
  const { userId, passwordHash } = change
  const isReset = change.kind === 'password-reset'
  const user = await revokeSignInsInFlight(tx, userId, {
    passwordHash,
    ...(isReset ? { emailVerifiedAt: record.now } : {}),
  })
  const kept = isReset ? {} : { id: { not: change.keepSessionId } }
  await tx.session.deleteMany({ where: { userId, ...kept } })
  if (isReset) await forgetEmailFailures(tx, user.email)
  await recordSecurityEvent(tx, userId, change.kind, record.seenFrom, record.now)
  await enqueueMail(tx, record.notice(user.email))
  return user
}

/** /account/password: `keepSessionId` is the row id of the session that stays (the one changing it). */
export async function changePassword(
  db: Database,
  userId: number,
  newPassword: string,
  keepSessionId: string,
  record: NewPasswordRecord,
) {
  const passwordHash = await hashPassword(newPassword)
  await db.prisma.$transaction((tx) =>
    writeNewPassword(tx, { userId, passwordHash, kind: 'password-changed', keepSessionId }, record),
  )
}
