import assert from 'node:assert/strict'
import { test } from 'node:test'
import { describeBrowser } from '../../src/account/sessions.ts'
import { createAccount, createFileDatabase, PASSWORD, sessionIdOf, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { setCookieOf, signedInEmailOf } from '../helpers/pages.ts'
import { countSessions, type StoreOf, storedSession } from '../helpers/session-store.ts'
import { findForms, Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()

const FIREFOX_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0'
const CHROME_ON_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const SAFARI_ON_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'

/** One account signed in from a laptop (the visit) and a desktop, each with its own browser. */
async function twoClients(t: Parameters<typeof startVisit>[0]) {
  const laptop = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  const user = await createAccount(laptop.db, email)
  const desktop = new Visitor(laptop.app)
  await signIn(laptop, email, PASSWORD, { headers: { 'user-agent': FIREFOX_ON_LINUX } })
  await signIn(desktop, email, PASSWORD, { headers: { 'user-agent': CHROME_ON_WINDOWS } })
  return { laptop, desktop, email, user, db: laptop.db }
}

const publicIdOf = async (store: StoreOf, visitor: Visitor) => {
  const session = await storedSession(store, sessionIdOf(visitor))
  assert.ok(session, 'the visitor has a stored session')
  return session.publicId
}

/** The table's rows: browser text and whether the row is marked as this session. */
function sessionRows(html: string) {
  return [...html.matchAll(/<tr( aria-current="true")?>\s*<td[^>]*>([^<]*)(<span class="current-marker">)?/g)].map(
    ([, current, browser, marker]) => ({ browser: browser?.trim(), isCurrent: Boolean(current && marker) }),
  )
}

test("the sessions page lists each of the account's sessions with its browser and marks this one", async (t) => {
  const { laptop } = await twoClients(t)
  const page = await laptop.get('/account/sessions')
  assert.equal(page.statusCode, 200)
  assert.deepEqual(
    sessionRows(page.body).sort((a, b) => a.browser?.localeCompare(b.browser ?? '') ?? 0),
    [
      { browser: 'Chrome 131 on Windows', isCurrent: false },
      { browser: 'Firefox 133 on Linux', isCurrent: true },
    ],
  )
})

test('each session shows when it started and when it was last seen', async (t) => {
  const { laptop } = await twoClients(t)
  laptop.clock.advance(10 * 60)
  const page = await laptop.get('/account/sessions')
  const currentRow = /<tr aria-current="true">([\s\S]*?)<\/tr>/.exec(page.body)?.[1] ?? ''
  const times = [...currentRow.matchAll(/<td[^>]*>([^<]*UTC)<\/td>/g)].map(([, time]) => time)
  assert.deepEqual(times, ['15 Jan 2026, 10:00 UTC', '15 Jan 2026, 10:10 UTC'])
})

test('each session has a sign-out form, and there is one to sign out all others', async (t) => {
  const { laptop, desktop } = await twoClients(t)
  const actions = findForms((await laptop.get('/account/sessions')).body).map((form) => form.action)
  for (const visitor of [laptop, desktop]) {
    assert.ok(actions.includes(`/account/sessions/${await publicIdOf(laptop, visitor)}/delete`))
  }
  assert.ok(actions.includes('/account/sessions/others/delete'))
})

test('the page never shows a session id, only the public one', async (t) => {
  const { laptop, desktop } = await twoClients(t)
  const page = await laptop.get('/account/sessions')
  for (const visitor of [laptop, desktop]) assert.ok(!page.body.includes(sessionIdOf(visitor) as string))
})

test("another account's sessions are not listed", async (t) => {
  const { laptop } = await twoClients(t)
  const stranger = new Visitor(laptop.app)
  const strangerEmail = uniqueEmail()
  await createAccount(laptop.db, strangerEmail)
  await signIn(stranger, strangerEmail, PASSWORD, { headers: { 'user-agent': SAFARI_ON_IOS } })
  const page = await laptop.get('/account/sessions')
  assert.equal(sessionRows(page.body).length, 2)
  assert.doesNotMatch(page.body, /Safari/)
})

test('an account page lists no session that has ended, even before the sweep deletes it', async (t) => {
  const { laptop, desktop } = await twoClients(t)
  const idleSeconds = 1800
  laptop.clock.advance(idleSeconds - 100)
  await laptop.get('/') // the laptop stays active; the desktop does not
  laptop.clock.advance(100)
  const page = await laptop.get('/account/sessions')
  assert.deepEqual(sessionRows(page.body), [{ browser: 'Firefox 133 on Linux', isCurrent: true }])
  assert.equal(await countSessions(laptop, { id: sessionIdOf(desktop) }), 1, 'not yet swept')
})

test("signing out another session ends it: that client's next request is a guest's", async (t) => {
  const { laptop, desktop } = await twoClients(t)
  const desktopSessionId = sessionIdOf(desktop)
  const res = await laptop.submit(
    '/account/sessions',
    {},
    `/account/sessions/${await publicIdOf(laptop, desktop)}/delete`,
  )
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account/sessions')
  assert.equal(await countSessions(laptop, { id: desktopSessionId }), 0)
  const desktopHome = await desktop.get('/')
  assert.equal(signedInEmailOf(desktopHome.body), null)
  assert.equal((await desktop.get('/account')).statusCode, 303)
  const after = await laptop.get('/account/sessions')
  assert.match(after.body, /That session is signed out\./)
  assert.deepEqual(sessionRows(after.body), [{ browser: 'Firefox 133 on Linux', isCurrent: true }])
})

test('signing out all others ends every session of the account but this one', async (t) => {
  const { laptop, desktop, email, db } = await twoClients(t)
  const phone = new Visitor(laptop.app)
  await signIn(phone, email, PASSWORD, { headers: { 'user-agent': SAFARI_ON_IOS } })
  const stranger = new Visitor(laptop.app)
  const strangerEmail = uniqueEmail()
  await createAccount(db, strangerEmail)
  await signIn(stranger, strangerEmail)

  const res = await laptop.submit('/account/sessions', {}, '/account/sessions/others/delete')
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account/sessions')
  assert.match((await laptop.get('/account/sessions')).body, /Signed out 2 other sessions\./)
  assert.equal((await desktop.get('/account')).statusCode, 303)
  assert.equal((await phone.get('/account')).statusCode, 303)
  assert.equal((await laptop.get('/account')).statusCode, 200)
  assert.equal((await stranger.get('/account')).statusCode, 200, "another account's session is left alone")
})

test("deleting another account's session is 404 and that session goes on", async (t) => {
  const { laptop, db } = await twoClients(t)
  const stranger = new Visitor(laptop.app)
  const strangerEmail = uniqueEmail()
  await createAccount(db, strangerEmail)
  await signIn(stranger, strangerEmail)
  const token = await laptop.csrfToken('/account/sessions')
  const res = await laptop.post(`/account/sessions/${await publicIdOf(laptop, stranger)}/delete`, { _csrf: token })
  assert.equal(res.statusCode, 404)
  assert.match(res.body, /Not found/)
  assert.equal((await stranger.get('/account')).statusCode, 200)
})

// Up to 100 characters: longer path parameters are refused by the router itself (414).
for (const id of ['nope', '123', '00000000-0000-4000-8000-000000000000', "1' OR '1'='1", 'x'.repeat(100), '\u0000']) {
  test(`deleting session ${JSON.stringify(id.slice(0, 40))} is 404 and ends nothing`, async (t) => {
    const { laptop, desktop } = await twoClients(t)
    const token = await laptop.csrfToken('/account/sessions')
    const res = await laptop.post(`/account/sessions/${encodeURIComponent(id)}/delete`, { _csrf: token })
    assert.equal(res.statusCode, 404)
    assert.equal((await desktop.get('/account')).statusCode, 200)
    assert.equal((await laptop.get('/account')).statusCode, 200)
  })
}

test('the secret session id in the URL is 404: only the public id names a session', async (t) => {
  const { laptop, desktop } = await twoClients(t)
  const token = await laptop.csrfToken('/account/sessions')
  const res = await laptop.post(`/account/sessions/${sessionIdOf(desktop)}/delete`, { _csrf: token })
  assert.equal(res.statusCode, 404)
  assert.equal((await desktop.get('/account')).statusCode, 200)
})

test("the current session's button signs out like /logout", async (t) => {
  const { laptop, desktop } = await twoClients(t)
  const laptopSessionId = sessionIdOf(laptop)
  const res = await laptop.submit(
    '/account/sessions',
    {},
    `/account/sessions/${await publicIdOf(laptop, laptop)}/delete`,
  )
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/')
  assert.equal(setCookieOf(res, 'sid')?.value, '')
  assert.equal(await countSessions(laptop, { id: laptopSessionId }), 0)
  assert.equal(signedInEmailOf((await laptop.get('/')).body), null)
  assert.equal((await desktop.get('/account')).statusCode, 200)
})

test('a browser is described by name, major version and system, or as unknown', () => {
  assert.equal(describeBrowser(FIREFOX_ON_LINUX), 'Firefox 133 on Linux')
  assert.equal(describeBrowser(CHROME_ON_WINDOWS), 'Chrome 131 on Windows')
  assert.equal(describeBrowser(SAFARI_ON_IOS), 'Safari 17 on iOS')
  assert.equal(describeBrowser(''), 'Unknown browser')
  assert.equal(describeBrowser('curl/8.5.0'), 'Unknown browser')
})

test('a browser name is escaped on the page', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await signIn(visit, email, PASSWORD, { headers: { 'user-agent': '<script>alert(1)</script>/1.0' } })
  const page = await visit.get('/account/sessions')
  assert.equal(page.statusCode, 200)
  assert.ok(!page.body.includes('<script>alert(1)</script>'))
})
