// What both stores share with @fastify/session: its callback API, on the id the cookie carries, turned into
// promises on the row id (the id's hash, see ids.ts); and the split of a session into what a store keeps beside
// its data and the data itself.
import type { SessionStore } from '@fastify/session'
import type { Session } from 'fastify'
import { hashSessionId } from './ids.ts'

type Callback = (error?: unknown) => void

export abstract class HashedIdStore implements SessionStore {
  get(cookieId: string, callback: (error: unknown, session?: Session | null) => void): void {
    this.load(hashSessionId(cookieId)).then((session) => callback(null, session), callback)
  }

  set(cookieId: string, session: Session, callback: Callback): void {
    this.save(hashSessionId(cookieId), session).then(() => callback(), callback)
  }

  destroy(cookieId: string, callback: Callback): void {
    this.end(hashSessionId(cookieId)).then(() => callback(), callback)
  }

  /** The session, or null when there is none or it has ended (then it is deleted). */
  protected abstract load(id: string): Promise<Session | null>
  protected abstract save(id: string, session: Session): Promise<void>
  /** Deletes the session (a sign-out, or an end found at load). */
  protected abstract end(id: string): Promise<void>
}

/**
 * A session as a store writes it. `stored` and `viewer` are the store's own view of it, never data to persist;
 * `credentialVersion` is only for a sign-in's first save.
 */
export function splitSession(session: Session) {
  const { stored, viewer: _viewer, userId, credentialVersion, isRemembered = false, userAgent = '', ...data } = session
  return { stored, userId, credentialVersion, isRemembered, userAgent: userAgent.slice(0, 512), data }
}
