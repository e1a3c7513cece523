// Password reset: a link mailed to the account's address, at most RESETS_PER_HOUR per email, each voiding
// the ones before it; following it sets a new password (new-password.ts says what that does).
// Asking must not tell whether an email has an account: the answer is the same page, and the database work
// is the same statements whatever the email (see requestPasswordReset).
import type { Database } from '../db/client.ts'
import { Prisma } from '../generated/prisma/client.ts'
import type { Mail } from '../mail/compose.ts'
import { enqueueMailFrom } from '../mail/outbox.ts'
import type { Sessions } from '../sessions/types.ts'
import { hashToken, isTokenUsable, newToken, useEmailToken } from '../shared/email-tokens.ts'
import { forgetSignInFailures, type NewPasswordRecord, writeNewPassword } from './new-password.ts'
import { hashPassword } from './passwords.ts'

const PURPOSE = 'reset'
export const RESETS_PER_HOUR = 3
const HOUR_MS = 3600_000

export type ResetRequest = {
  /** The typed email, normalized by the form. */
  email: string
  now: Date
  validSeconds: number
  /** The mail with the link to `path`, composed for every request, sent only for an account. */
  link: (path: string) => Mail
}

/**
 * Mails a link when `email` has an account that has had fewer than RESETS_PER_HOUR links in the last hour,
 * and does nothing visible otherwise. Whatever the email, the same four round trips: BEGIN, a lock on the
 * email, one statement that decides and writes, COMMIT. The lock makes the count exact under parallel
 * requests; the statement, taken after it, sees every link committed before.
 */
export async function requestPasswordReset(db: Database, request: ResetRequest): Promise<void> {
  const { email, now } = request
  const token = newToken()
  const mail = request.link(`/password/reset/${token}`)
  const hourAgo = new Date(now.getTime() - HOUR_MS)
  const expiresAt = new Date(now.getTime() + request.validSeconds * 1000)
  await db.prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`reset:${email}`}))`
    await tx.$executeRaw`
      WITH allowed AS (
        SELECT u.id FROM "User" u
        WHERE u.email = ${email} AND (
          SELECT count(*) FROM "EmailToken" t
          WHERE t."userId" = u.id AND t.purpose = ${PURPOSE} AND t."createdAt" > ${hourAgo}
        ) < ${RESETS_PER_HOUR}
      ), voided AS (
        UPDATE "EmailToken" SET "usedAt" = ${now}
        WHERE "userId" IN (SELECT id FROM allowed) AND purpose = ${PURPOSE} AND "usedAt" IS NULL
      ), issued AS (
        INSERT INTO "EmailToken" ("tokenHash", "userId", purpose, "createdAt", "expiresAt")
        SELECT ${hashToken(token)}, id, ${PURPOSE}, ${now}, ${expiresAt} FROM allowed
      )
      ${enqueueMailFrom(Prisma.raw('allowed'), mail)}`
  })
}

/** Whether the link would work now (the form is shown only for one that does). */
export function isResetLinkUsable(db: Database, token: string, now: Date): Promise<boolean> {
  return isTokenUsable(db.prisma, token, PURPOSE, now)
}

/**
 * Follows the link with the new password: its account's id, or null when the link is unknown, used, replaced
 * or expired (then nothing changes). The link is used in the same transaction as the change, so two posts of
 * one link at the same moment set one password.
 */
export async function resetPassword(
  sessions: Sessions,
  token: string,
  newPassword: string,
  record: NewPasswordRecord,
): Promise<number | null> {
  const passwordHash = await hashPassword(newPassword)
  const { result: reset } = await sessions.accounts.transaction(async (tx, endSessions) => {
    const used = await useEmailToken(tx, token, PURPOSE, record.now)
    if (used === null) return null
    const email = await writeNewPassword(
      tx,
      endSessions,
      { userId: used.userId, passwordHash, kind: 'password-reset' },
      record,
    )
    return { userId: used.userId, email }
  })
  if (reset === null) return null
  await forgetSignInFailures(sessions, reset.email)
  return reset.userId
}
