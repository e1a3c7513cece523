// An account's sessions, as the sessions page shows and ends them: only ever the account's own, through
// `app.sessions.accounts` (src/sessions/), whichever store holds them.
import Bowser from 'bowser'
import type { AccountSessions } from '../sessions/types.ts'
import { recordSecurityEvent, type SeenFrom } from '../shared/security-events.ts'

export type SessionLine = { publicId: string; createdAt: Date; lastSeenAt: Date; browser: string; isCurrent: boolean }

/** "Firefox 133 on Linux", from a User-Agent header. */
export function describeBrowser(userAgent: string): string {
  if (userAgent === '') return 'Unknown browser'
  const { browser, os } = Bowser.parse(userAgent)
  const name = [browser.name, browser.version?.split('.')[0]].filter(Boolean).join(' ') || 'Unknown browser'
  return os.name ? `${name} on ${os.name}` : name
}

/** The account's live sessions, newest first; `currentId` is this request's row id. */
export async function listSessions(accounts: AccountSessions, userId: number, currentId: string) {
  const sessions = await accounts.list(userId, currentId)
  return sessions.map(({ userAgent, ...session }): SessionLine => ({ ...session, browser: describeBrowser(userAgent) }))
}

/** Who ended sessions, and when: the account's event for /account/activity. */
export type EndedBy = { seenFrom: SeenFrom; now: Date }

// Ending sessions wins every race: any sign-in of the account still in flight is void (see src/sessions/types.ts).
export async function endSession(accounts: AccountSessions, userId: number, sessionId: string, by: EndedBy) {
  await accounts.transaction(async (tx, endSessions) => {
    await endSessions(userId, { only: sessionId })
    await recordSecurityEvent(tx, userId, 'session-ended', by.seenFrom, by.now)
  })
}

export async function endOtherSessions(accounts: AccountSessions, userId: number, currentId: string, by: EndedBy) {
  const { ended } = await accounts.transaction(async (tx, endSessions) => {
    await endSessions(userId, { allBut: currentId })
    await recordSecurityEvent(tx, userId, 'other-sessions-ended', by.seenFrom, by.now)
  })
  return ended
}
