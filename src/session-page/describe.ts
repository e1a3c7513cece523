// The server's side of the session page: what the store keeps for this session, when and why it will end,
// each with a line on why it is there. Plain functions of the session, the lifetimes and the time.
import type { CartLine } from '../cart/cart.ts'
import type { SessionLifetimes } from '../config.ts'
import { activityDelayMs, endOf } from '../sessions/lifetimes.ts'
import type { StoredRecord } from '../sessions/types.ts'
import { formatDateTime } from '../shared/dates.ts'
import type { Fact } from './cookies.ts'
import { formatDuration, formatTimeUntil } from './durations.ts'

/** What the store loaded for a session that is stored, and which store keeps it. */
export type SessionFacts = {
  stored: StoredRecord
  isRemembered: boolean
  email: string | null
  storeKind: 'postgres' | 'redis'
}

/** Which limit ends the session first, if no further request comes. */
export type EndReason = 'idle' | 'absolute' | 'remember'

export type Ending = { at: Date; reason: EndReason }

export type ServerView = { facts: Fact[]; cart: { lines: CartLine[]; why: string } }

/**
 * A remembered session has no idle limit and ends at its absolute end (REMEMBER_MAX_SECONDS after sign-in); any
 * other ends at its idle end or its absolute end (SESSION_MAX_SECONDS after it began), whichever is first. The
 * idle end counts from the last activity recorded, as the store checks it.
 */
export function endingOf(session: Pick<SessionFacts, 'stored' | 'isRemembered'>, lifetimes: SessionLifetimes): Ending {
  const { isRemembered, stored } = session
  // The rule the store applies (sessions/lifetimes.ts), and which of the limits it was.
  const at = endOf({ isRemembered, ...stored }, lifetimes)
  if (isRemembered) return { at, reason: 'remember' }
  return { at, reason: at < stored.expiresAt ? 'idle' : 'absolute' }
}

function endingNote(reason: EndReason, lifetimes: SessionLifetimes): string {
  switch (reason) {
    case 'idle':
      return `Idle limit: ${formatDuration(lifetimes.idleSeconds)} after the last request recorded (SESSION_IDLE_SECONDS). Each request moves it on.`
    case 'absolute':
      return `Absolute limit: ${formatDuration(lifetimes.maxSeconds)} after it began (SESSION_MAX_SECONDS), however busy you are.`
    case 'remember':
      return `Remember limit: ${formatDuration(lifetimes.rememberMaxSeconds)} after sign-in (REMEMBER_MAX_SECONDS). A remembered session has no idle limit.`
  }
}

function keptInFact(storeKind: SessionFacts['storeKind']): Fact {
  return {
    term: 'Kept in',
    value: storeKind === 'redis' ? 'Redis, one hash per session (SESSION_REDIS_URL)' : 'PostgreSQL, the Session table',
    why: 'Under the SHA-256 of the id in your cookie, not the id itself: a copy of the store signs nobody in.',
  }
}

function whoseFact(email: string | null): Fact {
  return {
    term: 'Whose',
    value: email ?? 'A guest: nobody is signed in',
    why: 'The row says who is signed in; the cookie does not, so editing the cookie cannot make you someone else.',
  }
}

function rememberedFact(isRemembered: boolean): Fact {
  return isRemembered
    ? { term: 'Remembered', value: 'Yes', why: 'You ticked “Remember me”: the session outlives the browser.' }
    : { term: 'Remembered', value: 'No', why: 'It ends when the browser closes, or after a while without a request.' }
}

function cartWhy(email: string | null): string {
  return email === null
    ? 'A guest’s lines belong to this session: they end with it, and join your account’s cart when you sign in.'
    : 'Your lines belong to your account, not to this session: the same cart in every browser you sign in from.'
}

/** What the server keeps for this session, in the order the page shows it. */
export function describeServerSession(
  session: SessionFacts,
  cartLines: CartLine[],
  lifetimes: SessionLifetimes,
  now: Date,
): ServerView {
  const { createdAt, lastSeenAt } = session.stored
  const ending = endingOf(session, lifetimes)
  const delay = formatDuration(activityDelayMs(lifetimes) / 1000)
  const facts: Fact[] = [
    keptInFact(session.storeKind),
    whoseFact(session.email),
    {
      term: 'Began',
      value: formatDateTime(createdAt),
      why:
        session.email === null
          ? 'When it first held something: until then a guest has no session, and costs no database write.'
          : 'At sign-in, with a new id: an id planted in your browser before (session fixation) is worthless.',
    },
    {
      term: 'Last seen',
      value: formatDateTime(lastSeenAt),
      note: `Recorded lazily: at most ${delay} after a request, so this request may not show here yet.`,
      why: 'So an active visitor does not cost a database write on every page.',
    },
    rememberedFact(session.isRemembered),
    {
      term: 'Ends',
      value: `${formatDateTime(ending.at)} (${formatTimeUntil(ending.at, now)})`,
      note: endingNote(ending.reason, lifetimes),
      why: 'Checked on the server at every request, never trusting the cookie; an ended session is deleted.',
    },
  ]
  return { facts, cart: { lines: cartLines, why: cartWhy(session.email) } }
}
