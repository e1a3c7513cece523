// A Redis session's key expires with the session: never later than its idle end nor its absolute end, remembered
// or not, and activity is recorded lazily (at most once a minute), as on PostgreSQL.
import assert from 'node:assert/strict'
import { createAccount, sessionIdOf, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { fileDatabaseOnRedis, keysOf, redisOf, redisTest } from './helpers.ts'

const databaseUrl = await fileDatabaseOnRedis()
const keys = keysOf(databaseUrl)
// Short lifetimes, so that the absolute end is reached in a few steps of the test clock.
const env = { SESSION_IDLE_SECONDS: '600', SESSION_MAX_SECONDS: '900', REMEMBER_MAX_SECONDS: '3600' }

async function signedIn(t: Parameters<typeof startVisit>[0], remember = false) {
  const visit = await startVisit(t, { databaseUrl, env })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  assert.equal(visit.statusOf(await signIn(visit, email, undefined, { remember })), 303)
  const key = keys.session(sessionIdOf(visit) ?? '')
  return Object.assign(visit, { key, pttl: () => redisOf(visit.app).pttl(key) })
}

redisTest('the key expires by the idle limit, and never after the absolute end', async (t) => {
  const visit = await signedIn(t)
  assert.equal((await visit.get('/account')).statusCode, 200)
  const afterRequest = await visit.pttl()
  assert.ok(afterRequest > 0 && afterRequest <= 600_000, `PTTL ${afterRequest} after a request`)
  visit.clock.advance(500)
  assert.equal((await visit.get('/account')).statusCode, 200)
  const nearEnd = await visit.pttl()
  assert.ok(nearEnd > 0 && nearEnd <= 400_000, `PTTL ${nearEnd} with 400 s left to the absolute end`)
})

redisTest('a remembered session’s key expires at its absolute end', async (t) => {
  const visit = await signedIn(t, true)
  const fresh = await visit.pttl()
  assert.ok(fresh > 600_000 && fresh <= 3_600_000, `PTTL ${fresh}: past the idle limit, within the absolute end`)
  visit.clock.advance(3_500)
  assert.equal((await visit.get('/account')).statusCode, 200)
  const nearEnd = await visit.pttl()
  assert.ok(nearEnd > 0 && nearEnd <= 100_000, `PTTL ${nearEnd} with 100 s left to the absolute end`)
  visit.clock.advance(100)
  assert.equal((await visit.get('/account')).statusCode, 303, 'at the absolute end the session is over')
  assert.equal(await redisOf(visit.app).exists(visit.key), 0)
})

redisTest('two requests within a minute do not rewrite lastSeenAt; one after a minute does', async (t) => {
  const visit = await signedIn(t)
  const lastSeenAt = () => redisOf(visit.app).hget(visit.key, 'lastSeenAt')
  const signedInAt = await lastSeenAt()
  visit.clock.advance(30)
  await visit.get('/account')
  visit.clock.advance(29)
  await visit.get('/account')
  assert.equal(await lastSeenAt(), signedInAt)
  visit.clock.advance(1)
  await visit.get('/account')
  assert.equal(await lastSeenAt(), String(visit.clock.now().getTime()))
})
