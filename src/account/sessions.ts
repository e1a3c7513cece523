// An account's sessions, as the sessions page shows and ends them. Only ever the account's own rows.
import Bowser from 'bowser'
import { revokeSignInsInFlight } from '../auth/users.ts'
import type { SessionLifetimes } from '../config.ts'
import type { Database } from '../db/client.ts'
import { recordSecurityEvent, type SeenFrom } from '../shared/security-events.ts'

export type SessionSummary = {
  publicId: string
  createdAt: Date
  lastSeenAt: Date
  browser: string
  isCurrent: boolean
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function isPublicSessionId(text: string): boolean {
  return UUID.test(text)
}

/** "Firefox 133 on Linux", from a User-Agent header. */
export function describeBrowser(userAgent: string): string {
  if (userAgent === '') return 'Unknown browser'
  const { browser, os } = Bowser.parse(userAgent)
  const name = [browser.name, browser.version?.split('.')[0]].filter(Boolean).join(' ') || 'Unknown browser'
  return os.name ? `${name} on ${os.name}` : name
}

/** The account's live sessions, newest first; ended ones are not shown even before the sweep deletes them. */
export async function listSessions(
  db: Database,
  userId: number,
  currentId: string,
  now: Date,
  lifetimes: SessionLifetimes,
): Promise<SessionSummary[]> {
  const idleCutoff = new Date(now.getTime() - lifetimes.idleSeconds * 1000)
  const rows = await db.prisma.session.findMany({
    where: { userId, expiresAt: { gt: now }, OR: [{ isRemembered: true }, { lastSeenAt: { gt: idleCutoff } }] },
    orderBy: { createdAt: 'desc' },
    select: { id: true, publicId: true, createdAt: true, lastSeenAt: true, userAgent: true },
  })
  return rows.map((row) => ({
    publicId: row.publicId,
    createdAt: row.createdAt,
    lastSeenAt: row.lastSeenAt,
    browser: describeBrowser(row.userAgent),
    isCurrent: row.id === currentId,
  }))
}

/** The session's id when it is one of the account's own, else null (another account's is "not found"). */
export async function findOwnSessionId(db: Database, userId: number, publicId: string): Promise<string | null> {
  if (!isPublicSessionId(publicId)) return null
  const row = await db.prisma.session.findFirst({ where: { publicId, userId }, select: { id: true } })
  return row?.id ?? null
}

/** Who ended sessions, and when: the account's event for /account/activity. */
export type EndedBy = { seenFrom: SeenFrom; now: Date }

// Ending sessions wins every race: in the same transaction, any sign-in of the account still in flight is void.
export async function endSession(db: Database, userId: number, sessionId: string, by: EndedBy): Promise<void> {
  await db.prisma.$transaction([
    revokeSignInsInFlight(db.prisma, userId),
    db.prisma.session.deleteMany({ where: { id: sessionId, userId } }),
    recordSecurityEvent(db.prisma, userId, 'session-ended', by.seenFrom, by.now),
  ])
}

export async function endOtherSessions(db: Database, userId: number, currentId: string, by: EndedBy): Promise<number> {
  const [, { count }] = await db.prisma.$transaction([
    revokeSignInsInFlight(db.prisma, userId),
    db.prisma.session.deleteMany({ where: { userId, id: { not: currentId } } }),
    recordSecurityEvent(db.prisma, userId, 'other-sessions-ended', by.seenFrom, by.now),
  ])
  return count
}
