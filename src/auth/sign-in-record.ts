// What every successful sign-in leaves behind, whichever way it came (the password, the two-factor step, a
// passkey): its event for /account/activity and, from a browser the account has not used before, a notice to
// the account's address. One statement, so the notice and the event land together.
//
// A browser is recognised by its name as the sessions page shows it ("Firefox 133 on Linux"), kept as its
// SHA-256 in KnownBrowser, rather than by a per-device cookie. A cookie would tell two laptops with the same
// browser apart, but it is gone with every private window and every "clear cookies", and each time the owner
// would get a notice for their own browser; notices that cry wolf get ignored. The name also needs no new
// cookie, which the /session page would have to explain. What it misses: a thief on the very same browser
// and system as the owner's, and it notices a major browser update (a new name) once.
import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { Prisma } from '../generated/prisma/client.ts'
import { enqueueMailFrom } from '../mail/outbox.ts'
import { formatDateTime } from '../shared/dates.ts'
import { type SecurityEventKind, seenFrom } from '../shared/security-events.ts'

export type SignInMethod = 'password' | 'two-factor' | 'passkey'

const EVENT_OF: Record<SignInMethod, SecurityEventKind> = {
  password: 'signed-in',
  'two-factor': 'signed-in-two-factor',
  passkey: 'signed-in-passkey',
}

/**
 * Adds the browser to the account's known ones, returning `isNew`: true when it was not known. One statement, so
 * of two sign-ins from a new browser at the same moment only one sees it new (and one notice goes out). A
 * statement, not a call: registering runs it in its Prisma transaction, a sign-in inside its own statement.
 */
export function rememberBrowser(userId: number, browser: string, now: Date): Prisma.Sql {
  const browserHash = createHash('sha256').update(browser).digest('hex')
  return Prisma.sql`
    INSERT INTO "KnownBrowser" ("userId", "browserHash", "firstSeenAt", "lastSeenAt")
    VALUES (${userId}, ${browserHash}, ${now}, ${now})
    ON CONFLICT ("userId", "browserHash") DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt"
    RETURNING (xmax = 0) AS "isNew"`
}

/**
 * Called by each sign-in path right after its session is signed in (never at registration). One statement on the
 * direct path (src/db/sql.ts): the event, the browser, and the notice only where the browser was new.
 */
export async function recordSignIn(request: FastifyRequest, user: { id: number; email: string }, method: SignInMethod) {
  const { db, clock, mail } = request.server
  const from = seenFrom(request)
  const now = clock.now()
  const notice = mail('new-browser', user.email, {
    email: user.email,
    browser: from.browser,
    ip: from.ip,
    when: formatDateTime(now),
  })
  await db.sql.execute(Prisma.sql`
    WITH event AS (
      INSERT INTO "SecurityEvent" ("userId", kind, browser, ip, "createdAt")
      VALUES (${user.id}, ${EVENT_OF[method]}, ${from.browser}, ${from.ip}, ${now})
    ), browser AS (${rememberBrowser(user.id, from.browser, now)})
    ${enqueueMailFrom(Prisma.sql`browser WHERE "isNew"`, notice)}`)
}
