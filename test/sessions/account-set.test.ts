// The per-account set of session ids on Redis: what the sessions page lists and what ending sessions reads.
// It must hold exactly the account's live sessions, or "sign out others" would miss one (or list ghosts).
import assert from 'node:assert/strict'
import { createAccount, PASSWORD, sessionIdOf, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startApp } from '../helpers/app.ts'
import { findForm, Visitor } from '../helpers/visitor.ts'
import { fileDatabaseOnRedis, keysOf, redisOf, redisTest } from './helpers.ts'

const databaseUrl = await fileDatabaseOnRedis()
const keys = keysOf(databaseUrl)

/** An account signed in from three browsers. */
async function signedInThrice(t: Parameters<typeof startApp>[0], env: Record<string, string> = {}) {
  const started = await startApp(t, { databaseUrl, env })
  const email = uniqueEmail()
  const user = await createAccount(started.db, email)
  const browsers = [new Visitor(started.app), new Visitor(started.app), new Visitor(started.app)]
  for (const browser of browsers) assert.equal((await signIn(browser, email)).statusCode, 303)
  const members = () => redisOf(started.app).smembers(keys.account(user.id))
  return { ...started, email, user, browsers, members }
}

async function submit(visitor: Visitor, pageUrl: string, action: string, fields: Record<string, string> = {}) {
  const form = findForm((await visitor.get(pageUrl)).body, action)
  assert.ok(form, `a form posting to ${action} on ${pageUrl}`)
  return (await visitor.post(action, { ...form.fields, ...fields })).statusCode
}

const isGuest = async (visitor: Visitor) => (await visitor.get('/account')).statusCode === 303

redisTest('the set: 3 browsers, then sign out others, an expired member, deleting the account', async (t) => {
  const { app, email, browsers, members } = await signedInThrice(t)
  const [laptop, phone] = browsers as [Visitor, Visitor, Visitor]
  assert.equal((await members()).length, 3)
  assert.equal(await submit(laptop, '/account/sessions', '/account/sessions/others/delete'), 303)
  assert.deepEqual(await members(), [sessionIdOf(laptop)])
  // A session whose key expired leaves its id in the set until the sessions page meets it.
  assert.equal((await signIn(phone, email)).statusCode, 303)
  await redisOf(app).del(keys.session(sessionIdOf(phone) ?? ''))
  assert.equal((await members()).length, 2)
  assert.equal((await laptop.get('/account/sessions')).statusCode, 200)
  assert.deepEqual(await members(), [sessionIdOf(laptop)])
  for (const browser of browsers.slice(1)) assert.equal((await signIn(browser, email)).statusCode, 303)
  assert.equal((await members()).length, 3)
  assert.equal(await submit(laptop, '/account/delete', '/account/delete', { email }), 303)
  assert.deepEqual(await members(), [])
  for (const browser of browsers) assert.ok(await isGuest(browser), 'every browser of the account is a guest')
})

redisTest('a password change leaves only the session that changed it', async (t) => {
  const { browsers, members } = await signedInThrice(t)
  const [laptop, ...others] = browsers as [Visitor, Visitor, Visitor]
  const fields = { current_password: PASSWORD, new_password: 'a brand new passphrase' }
  assert.equal(await submit(laptop, '/account/password', '/account/password', fields), 303)
  assert.deepEqual(await members(), [sessionIdOf(laptop)])
  for (const browser of others) assert.ok(await isGuest(browser))
  assert.equal(await isGuest(laptop), false)
})

// Every write that sets a session's TTL extends its account's set to at least as long (redis-scripts.ts): without
// it the set kept the TTL of the insert (the idle limit), and a session in use for longer outlived its set, so the
// sessions page listed none and "sign out others" ended none by id.
redisTest(
  'the set outlives its sessions: an active session keeps its place, and "sign out others" keeps it signed in',
  async (t) => {
    // The sign-in still counts as confirming it's you 25 minutes on, so "sign out others" asks for no password.
    const { app, clock, browsers, members, user } = await signedInThrice(t, { CONFIRM_SECONDS: '3600' })
    const [laptop] = browsers as [Visitor, Visitor, Visitor]
    const setKey = keys.account(user.id)
    // 25 minutes on, within the idle limit of 30. Redis' time is real and the test clock's is not: the set's
    // TTL is brought to where 25 real minutes would have left it. The request then records activity.
    clock.advance(1500)
    await redisOf(app).pexpire(setKey, (await redisOf(app).pttl(setKey)) - 1_500_000)
    assert.equal((await laptop.get('/account')).statusCode, 200)
    // The set's first: both were given the same TTL by one script, and a later read sees less left.
    const set = await redisOf(app).pttl(setKey)
    const session = await redisOf(app).pttl(keys.session(sessionIdOf(laptop) ?? ''))
    assert.ok(set >= session, `the set expires in ${set} ms, before its session (in ${session} ms)`)
    // What Redis does once the set's shorter TTL runs out (in 5 minutes, while the session lives on).
    if (set < session) await redisOf(app).del(setKey)
    assert.equal(await submit(laptop, '/account/sessions', '/account/sessions/others/delete'), 303)
    assert.equal(await isGuest(laptop), false, '"sign out others" signed this session out too')
    assert.deepEqual(await members(), [sessionIdOf(laptop)])
  },
)
