// Proving the account's address is its owner's: a link mailed at registration (and again on request, at most
// 3 an hour), which marks the email verified when followed. A verified email is what checkout asks for.
import type { Database } from '../db/client.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import type { Mail } from '../mail/compose.ts'
import { enqueueMail } from '../mail/outbox.ts'
import { issueEmailToken, useEmailToken } from '../shared/email-tokens.ts'

const PURPOSE = 'verify'
/** Links one account may be sent in an hour, the registration's included: nobody's inbox can be flooded. */
export const LINKS_PER_HOUR = 3

/** The link's mail, given the path it points to. */
export type VerifyMail = (to: string, path: string) => Mail

export type LinkRequest = { now: Date; validSeconds: number; mail: VerifyMail; next?: string }

/**
 * A new link for the account's current address, queued in the caller's transaction. `next` (a local path,
 * checked by the caller) rides in the link, so following it takes the visitor back where they were going.
 */
export async function issueVerificationLink(
  tx: Prisma.TransactionClient,
  user: { id: number; email: string },
  link: LinkRequest,
): Promise<void> {
  // The address is kept with the token: a link sent to an address the account no longer has verifies nothing.
  const token = await issueEmailToken(tx, link.now, {
    userId: user.id,
    purpose: PURPOSE,
    validSeconds: link.validSeconds,
    newEmail: user.email,
  })
  const query = link.next === undefined ? '' : `?next=${encodeURIComponent(link.next)}`
  await enqueueMail(tx, link.mail(user.email, `/email/verify/${token}${query}`))
}

export type ResendOutcome = { outcome: 'sent'; email: string } | { outcome: 'verified' | 'limited' }

/** Mails a new link unless the address is verified already or the hour's links are spent. */
export function resendVerificationLink(db: Database, userId: number, link: LinkRequest): Promise<ResendOutcome> {
  return db.prisma.$transaction(async (tx) => {
    // The account's row is locked while the links are counted: parallel requests count one after another,
    // so they cannot all see 2 links and send a 4th, 5th...
    const [user] = await tx.$queryRaw<{ email: string; emailVerifiedAt: Date | null }[]>`
      SELECT email, "emailVerifiedAt" FROM "User" WHERE id = ${userId} FOR UPDATE`
    if (user === undefined || user.emailVerifiedAt !== null) return { outcome: 'verified' }
    const since = new Date(link.now.getTime() - 3600 * 1000)
    const sent = await tx.emailToken.count({ where: { userId, purpose: PURPOSE, createdAt: { gt: since } } })
    if (sent >= LINKS_PER_HOUR) return { outcome: 'limited' }
    await issueVerificationLink(tx, { id: userId, email: user.email }, link)
    return { outcome: 'sent', email: user.email }
  })
}

/**
 * Follows a link: true when it marked (or found) the address verified. The token is checked and spent in one
 * statement (useEmailToken), so it works once, even when followed twice at the same moment; a newer link
 * makes older ones void.
 */
export async function followVerificationLink(db: Database, token: string, now: Date): Promise<boolean> {
  return db.prisma.$transaction(async (tx) => {
    const used = await useEmailToken(tx, token, PURPOSE, now)
    if (used?.newEmail == null) return false
    const count = await tx.$executeRaw`
      UPDATE "User" SET "emailVerifiedAt" = COALESCE("emailVerifiedAt", ${now})
      WHERE id = ${used.userId} AND email = ${used.newEmail}`
    return count === 1
  })
}

/** The account's address and whether it is verified, for the verify page and checkout's guard. */
export async function emailStateOf(db: Database, userId: number) {
  const user = await db.prisma.user.findUnique({
    where: { id: userId },
    select: { email: true, emailVerifiedAt: true },
  })
  return user === null ? null : { email: user.email, isVerified: user.emailVerifiedAt !== null }
}
