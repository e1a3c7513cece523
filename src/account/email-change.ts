// Changing an account's email: a link to the new address proves it is theirs, and nothing changes until it
// is followed. The old address is told at both steps, so a borrowed session cannot move the account quietly.
// Each step is one transaction with its mail.
import type { Database } from '../db/client.ts'
import type { Mail } from '../mail/compose.ts'
import { enqueueMail } from '../mail/outbox.ts'
import { issueEmailToken, useEmailToken } from '../shared/email-tokens.ts'
import { recordSecurityEvent, type SeenFrom } from '../shared/security-events.ts'

const PURPOSE = 'email-change'

export type ChangeMails = {
  /** The link, to the new address. */
  link: (path: string) => Mail
  /** The notice that a change was asked for, to the old address. */
  asked: Mail
}

/**
 * Mails a link to `newEmail` (older links of the account stop working) and a notice to the old address.
 * 'taken' when another account has that address, 'same' when it is the account's own.
 */
export async function requestEmailChange(
  db: Database,
  user: { id: number; email: string },
  newEmail: string,
  now: Date,
  validSeconds: number,
  mails: ChangeMails,
): Promise<'sent' | 'taken' | 'same'> {
  if (newEmail === user.email) return 'same'
  return db.prisma.$transaction(async (tx) => {
    if ((await tx.user.count({ where: { email: newEmail } })) > 0) return 'taken'
    const token = await issueEmailToken(tx, now, { userId: user.id, purpose: PURPOSE, validSeconds, newEmail })
    await enqueueMail(tx, mails.link(`/account/email/${token}`))
    await enqueueMail(tx, mails.asked)
    return 'sent'
  })
}

export type ChangeResult =
  | { outcome: 'changed'; userId: number; newEmail: string }
  | { outcome: 'bad-link' }
  | { outcome: 'taken' }

/**
 * Follows a link: the address changes (and counts as verified), the old address gets a notice and the
 * account an event. A link works once, even when followed twice at the same moment (useEmailToken).
 */
export async function applyEmailChange(
  db: Database,
  token: string,
  now: Date,
  context: { seenFrom: SeenFrom; done: (oldEmail: string, newEmail: string) => Mail },
): Promise<ChangeResult> {
  try {
    return await followLink(db, token, now, context)
  } catch (error) {
    // Registered by someone else between our check and the update: the unique index has the last word.
    if ((error as { code?: string }).code === 'P2002') return { outcome: 'taken' }
    throw error
  }
}

function followLink(
  db: Database,
  token: string,
  now: Date,
  context: { seenFrom: SeenFrom; done: (oldEmail: string, newEmail: string) => Mail },
): Promise<ChangeResult> {
  return db.prisma.$transaction(async (tx) => {
    const used = await useEmailToken(tx, token, PURPOSE, now)
    if (used === null || used.newEmail === null) return { outcome: 'bad-link' }
    const { userId, newEmail } = used
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } })
    // Taken since the link was sent: the address is someone else's now, and this link is spent.
    if ((await tx.user.count({ where: { email: newEmail } })) > 0) return { outcome: 'taken' }
    await tx.user.update({ where: { id: userId }, data: { email: newEmail, emailVerifiedAt: now } })
    await enqueueMail(tx, context.done(user.email, newEmail))
    await recordSecurityEvent(tx, userId, 'email-changed', context.seenFrom, now)
    return { outcome: 'changed', userId, newEmail }
  })
}
