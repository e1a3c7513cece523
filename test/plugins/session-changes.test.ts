// Two close requests of one session that change different keys both land, on either store: each writes only
// what it changed. Made deterministic by driving the store as @fastify/session does: two loads, then two saves.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Session } from 'fastify'
import { changesOf, isUnchanged, rememberLoaded, rememberWritten } from '../../src/sessions/changes.ts'
import { cookieSessionIdOf, createFileDatabase, startSignedInVisit } from '../helpers/accounts.ts'

const databaseUrl = await createFileDatabase()

function callback<T>(run: (done: (error: unknown, value?: T) => void) => void): Promise<T | undefined> {
  return new Promise((resolve, reject) => run((error, value) => (error ? reject(error) : resolve(value))))
}

test('two requests that load one session and change different keys both keep their change', async (t) => {
  const visit = await startSignedInVisit(t, { databaseUrl })
  const id = cookieSessionIdOf(visit) as string
  const { store } = visit.app.sessions
  const load = () => callback<Session | null>((done) => store.get(id, done))
  const save = (session: Session) => callback<void>((done) => store.set(id, session, (error) => done(error)))
  // Both requests have loaded the session before either saves.
  const [tab, otherTab] = [await load(), await load()] as Session[]
  assert.ok(tab !== undefined && otherTab !== undefined)
  tab.flash = 'Added to your cart.'
  otherTab.confirmedAtMs = 1234
  await save(tab)
  await save(otherTab)
  const after = (await load()) as Session
  assert.equal(after.flash, 'Added to your cart.', "the later save did not undo the earlier one's change")
  assert.equal(after.confirmedAtMs, 1234)
  assert.equal(after.userId, tab.userId)
})

test('the changes of a session are the keys whose value differs from the load, and the ones removed', () => {
  const stored = { createdAt: new Date(0), lastSeenAt: new Date(0), expiresAt: new Date(0) }
  rememberLoaded(stored, { flash: 'Saved.', cookie: { path: '/' }, step: 1 })
  assert.deepEqual(changesOf(stored, { cookie: { path: '/' }, step: 2, fresh: true }), {
    changed: { step: 2, fresh: true },
    removed: ['flash'],
  })
  assert.deepEqual(changesOf(stored, { flash: 'Saved.', cookie: { path: '/' }, step: 1 }), { changed: {}, removed: [] })
})

test('a key another statement has written is no change for the save', () => {
  const stored = { createdAt: new Date(0), lastSeenAt: new Date(0), expiresAt: new Date(0) }
  rememberLoaded(stored, { flash: 'Added A.', step: 1 })
  rememberWritten(stored, 'flash', 'Added B.')
  const changes = changesOf(stored, { flash: 'Added B.', step: 1 })
  assert.ok(isUnchanged(changes), JSON.stringify(changes))
  assert.deepEqual(changesOf(stored, { flash: 'Added C.', step: 1 }).changed, { flash: 'Added C.' })
})
