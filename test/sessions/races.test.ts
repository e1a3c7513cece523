// Ending a session wins every race on Redis: a save that lands after a sign-out does not bring the session
// back, and a sign-in in flight during "sign out others" gets a session that is refused at its first load.
// Each race is made to happen in one order by holding the late write (helpers.ts), not by waiting.
import assert from 'node:assert/strict'
import type { Session } from 'fastify'
import {
  addToCart,
  cookieSessionIdOf,
  createAccount,
  PASSWORD,
  sessionIdOf,
  signIn,
  uniqueEmail,
} from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { findForm, Visitor } from '../helpers/visitor.ts'
import { fileDatabaseOnRedis, holdNextWrite, keysOf, redisOf, redisTest } from './helpers.ts'

const databaseUrl = await fileDatabaseOnRedis()
const keys = keysOf(databaseUrl)

async function signedIn(t: Parameters<typeof startVisit>[0]) {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  const user = await createAccount(visit.db, email)
  assert.equal(visit.statusOf(await signIn(visit, email)), 303)
  const id = sessionIdOf(visit) ?? ''
  return Object.assign(visit, { email, user, id, key: keys.session(id) })
}

async function assertGuest(visitor: Visitor) {
  const account = await visitor.get('/account')
  assert.equal(account.statusCode, 303)
  assert.equal(account.headers.location, '/login?next=%2Faccount')
}

redisTest('a save held until after the session was destroyed does not bring it back', async (t) => {
  const visit = await signedIn(t)
  const { store } = visit.app.sessions
  const cookieId = cookieSessionIdOf(visit) ?? ''
  const session = await new Promise<Session>((resolve, reject) =>
    store.get(cookieId, (error, loaded) => (loaded ? resolve(loaded) : reject(error ?? new Error('not loaded')))),
  )
  session.flash = 'written by a request that loaded the session before the sign-out'
  const held = holdNextWrite(redisOf(visit.app), visit.key)
  const saved = new Promise<void>((resolve, reject) => store.set(cookieId, session, (e) => (e ? reject(e) : resolve())))
  await held.reached
  await new Promise<void>((resolve, reject) => store.destroy(cookieId, (e) => (e ? reject(e) : resolve())))
  held.release()
  await saved
  assert.equal(await redisOf(visit.app).exists(visit.key), 0, 'the late save re-created the session')
  await assertGuest(visit)
})

redisTest('two requests load one session, one signs out, the other then saves a flash: it stays gone', async (t) => {
  const visit = await signedIn(t)
  const token = await visit.csrfToken('/')
  const held = holdNextWrite(redisOf(visit.app), visit.key)
  // Adding to the cart sets a flash: the request's save is the write held back.
  const adding = addToCart(visit, 1, 1, { csrfToken: token })
  await held.reached
  assert.equal((await visit.post('/logout', { _csrf: token })).statusCode, 303)
  held.release()
  assert.equal((await adding).statusCode, 303)
  assert.equal(await redisOf(visit.app).exists(visit.key), 0, 'the late save re-created the session')
  assert.equal(await redisOf(visit.app).sismember(keys.account(visit.user.id), visit.id), 0)
  await assertGuest(visit)
})

redisTest('a sign-in in flight during "sign out others" gets a session refused at its first load', async (t) => {
  const laptop = await signedIn(t)
  const signOutOthers = findForm((await laptop.get('/account/sessions')).body, '/account/sessions/others/delete')
  assert.ok(signOutOthers)
  const other = new Visitor(laptop.app)
  const signInForm = findForm((await other.get('/login')).body, '/login')
  assert.ok(signInForm)
  // The sign-in has checked the password and read the credential version; its session's insert is held.
  const held = holdNextWrite(redisOf(laptop.app), keys.account(laptop.user.id))
  const signingIn = other.post('/login', { ...signInForm.fields, email: laptop.email, password: PASSWORD })
  await held.reached
  assert.equal((await laptop.post(signOutOthers.action, signOutOthers.fields)).statusCode, 303)
  held.release()
  assert.equal((await signingIn).statusCode, 303, 'the sign-in itself answered as usual')
  const inserted = keys.session(sessionIdOf(other) ?? '')
  assert.equal(await redisOf(laptop.app).exists(inserted), 1, 'the in-flight session was stored after the end')
  await assertGuest(other)
  assert.equal(await redisOf(laptop.app).exists(inserted), 0, 'refused at its first load, it is deleted')
  assert.equal((await laptop.get('/account')).statusCode, 200, 'the laptop stays signed in')
  assert.deepEqual(await redisOf(laptop.app).smembers(keys.account(laptop.user.id)), [laptop.id])
})
