// The rules of a session's life that both stores apply on every load (never trusting the cookie's own expiry).
import type { SessionLifetimes } from '../config.ts'

export type Lived = { isRemembered: boolean; lastSeenAt: Date; expiresAt: Date }

/** How late a store may record activity: a tenth of the idle limit, and at most a minute. */
export function activityDelayMs(lifetimes: SessionLifetimes): number {
  return Math.min(lifetimes.idleSeconds * 100, 60_000)
}

/** When the session ends if nothing happens: the idle limit's end, never later than the absolute end. */
export function endOf(session: Lived, lifetimes: SessionLifetimes): Date {
  if (session.isRemembered) return session.expiresAt
  const idleEnd = session.lastSeenAt.getTime() + lifetimes.idleSeconds * 1000
  return new Date(Math.min(idleEnd, session.expiresAt.getTime()))
}

export function hasEnded(session: Lived, lifetimes: SessionLifetimes, now: Date): boolean {
  return endOf(session, lifetimes) <= now
}

/** The absolute end of a session that begins `now`. */
export function absoluteEnd(isRemembered: boolean, lifetimes: SessionLifetimes, now: Date): Date {
  const lifetimeSeconds = isRemembered ? lifetimes.rememberMaxSeconds : lifetimes.maxSeconds
  return new Date(now.getTime() + lifetimeSeconds * 1000)
}
