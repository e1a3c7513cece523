// What a new password does, whether changed by a signed-in visitor or reset through a mailed link: in the
// caller's transaction, the new hash, the end of the account's sessions (and of any sign-in still in flight),
// a security event and the notice mail land together or not at all.
import type { Prisma } from '../generated/prisma/client.ts'
import type { Mail } from '../mail/compose.ts'
import { enqueueMail } from '../mail/outbox.ts'
import type { EndSessions, Sessions } from '../sessions/types.ts'
import { recordSecurityEvent, type SeenFrom } from '../shared/security-events.ts'
import { hashPassword } from './passwords.ts'
import { emailKey } from './throttle.ts'

/** The request's context: when, from where, and the notice to the account's address. */
export type NewPasswordRecord = { now: Date; seenFrom: SeenFrom; notice: (email: string) => Mail }

export type NewPassword = { userId: number; passwordHash: string } & (
  | { kind: 'password-changed'; keepSessionId: string }
  | { kind: 'password-reset' }
)

/**
 * A change keeps the session that made it and ends the others. A reset ends them all and marks the email
 * verified: the link proved the inbox is theirs. The account's email is returned.
 */
export async function writeNewPassword(
  tx: Prisma.TransactionClient,
  endSessions: EndSessions,
  change: NewPassword,
  record: NewPasswordRecord,
): Promise<string> {
  const { userId, passwordHash } = change
  const isReset = change.kind === 'password-reset'
  await endSessions(userId, isReset ? { all: true } : { allBut: change.keepSessionId })
  const user = await tx.user.update({
    where: { id: userId },
    data: { passwordHash, ...(isReset ? { emailVerifiedAt: record.now } : {}) },
  })
  await recordSecurityEvent(tx, userId, change.kind, record.seenFrom, record.now)
  await enqueueMail(tx, record.notice(user.email))
  return user.email
}

/**
 * After a reset the owner must be able to sign in at once: the email's sign-in failures are forgotten. Right
 * after the reset commits (the counters may live in Redis): at worst, a crash in between leaves the email
 * throttled until its window passes.
 */
export async function forgetSignInFailures(sessions: Sessions, email: string): Promise<void> {
  await sessions.attempts.clear([emailKey(email)], { ids: [] })
}

/** /account/password: `keepSessionId` is the row id of the session that stays (the one changing it). */
export async function changePassword(
  sessions: Sessions,
  userId: number,
  newPassword: string,
  keepSessionId: string,
  record: NewPasswordRecord,
) {
  const passwordHash = await hashPassword(newPassword)
  await sessions.accounts.transaction((tx, endSessions) =>
    writeNewPassword(tx, endSessions, { userId, passwordHash, kind: 'password-changed', keepSessionId }, record),
  )
}
