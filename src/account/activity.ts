// /account/activity: what happened to the account in the last 90 days, newest first. Older events are
// deleted by the housekeeping sweep, so the table holds no more than the page can show.
import type { Database } from '../db/client.ts'
import type { SecurityEventKind } from '../shared/security-events.ts'

export const ACTIVITY_DAYS = 90
/** Enough for any honest account; an account under a guessing attack still gets a page, not a flood. */
export const ACTIVITY_LIMIT = 200

const DESCRIPTION: Record<SecurityEventKind, string> = {
  'signed-in': 'Signed in with the password',
  'signed-in-two-factor': 'Signed in with the password and a two-factor code',
  'signed-in-passkey': 'Signed in with a passkey',
  'sign-in-failed': 'A sign-in failed: wrong password',
  'sign-in-failed-code': 'A sign-in failed at the two-factor code (the password was right)',
  'session-ended': 'Signed out a session from the sessions page',
  'other-sessions-ended': 'Signed out all other sessions',
  'password-changed': 'Password changed',
  'password-reset': 'Password reset by email',
  'email-changed': 'Email address changed',
  'passkey-added': 'Passkey added',
  'passkey-removed': 'Passkey removed',
  'two-factor-enabled': 'Two-factor sign-in turned on',
  'two-factor-disabled': 'Two-factor sign-in turned off',
  'recovery-codes-replaced': 'New two-factor recovery codes made',
  'recovery-code-used': 'A two-factor recovery code used to sign in',
}

export type ActivityEntry = { description: string; browser: string; ip: string; at: Date }

const cutoff = (now: Date) => new Date(now.getTime() - ACTIVITY_DAYS * 86_400_000)

export async function listRecentActivity(db: Database, userId: number, now: Date): Promise<ActivityEntry[]> {
  const rows = await db.prisma.securityEvent.findMany({
    where: { userId, createdAt: { gt: cutoff(now) } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: ACTIVITY_LIMIT,
  })
  return rows.map((row) => ({
    description: DESCRIPTION[row.kind as SecurityEventKind] ?? row.kind,
    browser: row.browser,
    ip: row.ip,
    at: row.createdAt,
  }))
}

/** The housekeeping sweep's part: events older than the page shows. */
export async function sweepOldSecurityEvents(db: Database, now: Date): Promise<number> {
  const { count } = await db.prisma.securityEvent.deleteMany({ where: { createdAt: { lte: cutoff(now) } } })
  return count
}
