import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createAccount, createFileDatabase, PASSWORD, sessionIdOf, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { signedInEmailOf } from '../helpers/pages.ts'
import { countSessions, storedSessions } from '../helpers/session-store.ts'
import { startShopWithMail, waitUntilAllSent } from '../helpers/shop-with-mail.ts'
import { Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()

const NEW_PASSWORD = 'a completely new passphrase'
const fieldErrors = (html: string) =>
  [...html.matchAll(/<p class="field-error" id="([^"]+)-error">([^<]*)</g)].map(([, field, message]) => [
    field,
    message,
  ])

/** One account signed in on two clients; `visit` is the one that changes the password. */
async function twoClients(t: Parameters<typeof startVisit>[0]) {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  const user = await createAccount(visit.db, email)
  const other = new Visitor(visit.app)
  await signIn(visit, email)
  await signIn(other, email)
  return Object.assign(visit, { other, email, user })
}

const changePassword = (visitor: Visitor, current: string, next: string) =>
  visitor.submit('/account/password', { current_password: current, new_password: next })

test('the password page has the two fields and says other sessions will be signed out', async (t) => {
  const visit = await twoClients(t)
  const page = await visit.get('/account/password')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /name="current_password" type="password"/)
  assert.match(page.body, /name="new_password" type="password"/)
  assert.match(page.body, /Changing it signs out every other session of your account\./)
})

test('a wrong current password is 400 and changes nothing', async (t) => {
  const visit = await twoClients(t)
  const res = await changePassword(visit, 'not my password', NEW_PASSWORD)
  assert.equal(res.statusCode, 400)
  assert.deepEqual(fieldErrors(res.body), [['current_password', 'That is not your current password.']])
  const user = await visit.db.prisma.user.findUniqueOrThrow({ where: { id: visit.user.id } })
  assert.equal(user.passwordHash, visit.user.passwordHash)
  assert.equal((await visit.other.get('/account')).statusCode, 200, 'the other session goes on')
  assert.equal((await signIn(new Visitor(visit.app), visit.email, PASSWORD)).statusCode, 303, 'the old one works')
})

for (const [kind, newPassword, message] of [
  ['under 8 characters', 'short', 'Use at least 8 characters.'],
  ['over 256 characters', 'p'.repeat(257), 'Use at most 256 characters.'],
]) {
  test(`a new password ${kind} is 400 and changes nothing`, async (t) => {
    const visit = await twoClients(t)
    const res = await changePassword(visit, PASSWORD, newPassword)
    assert.equal(res.statusCode, 400)
    assert.deepEqual(fieldErrors(res.body), [['new_password', message]])
    const user = await visit.db.prisma.user.findUniqueOrThrow({ where: { id: visit.user.id } })
    assert.equal(user.passwordHash, visit.user.passwordHash)
    assert.equal((await visit.other.get('/account')).statusCode, 200)
  })
}

test('both fields wrong get a message each', async (t) => {
  const visit = await twoClients(t)
  const res = await changePassword(visit, 'not my password', 'short')
  assert.equal(res.statusCode, 400)
  assert.deepEqual(
    fieldErrors(res.body).map(([field]) => field),
    ['current_password', 'new_password'],
  )
})

test('the form shown again never contains either password', async (t) => {
  const visit = await twoClients(t)
  const res = await changePassword(visit, 'my secret guess', 'tiny')
  assert.equal(res.statusCode, 400)
  assert.ok(!res.body.includes('my secret guess'))
  assert.ok(!res.body.includes('value="tiny"'))
})

test('a successful change keeps this session signed in and says what happened', async (t) => {
  const visit = await twoClients(t)
  const sessionId = sessionIdOf(visit)
  const res = await changePassword(visit, PASSWORD, NEW_PASSWORD)
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account')
  const account = await visit.get('/account')
  assert.equal(account.statusCode, 200)
  assert.match(account.body, /Your password is changed\. Every other session of your account is signed out\./)
  assert.equal(sessionIdOf(visit), sessionId)
})

test('a successful change ends every other session of the account', async (t) => {
  const visit = await twoClients(t)
  const otherId = sessionIdOf(visit.other)
  await changePassword(visit, PASSWORD, NEW_PASSWORD)
  assert.equal(await countSessions(visit, { id: otherId }), 0)
  const home = await visit.other.get('/')
  assert.equal(signedInEmailOf(home.body), null)
  assert.equal((await visit.other.get('/account')).statusCode, 303)
})

test('after a change the new password signs in and the old one does not', async (t) => {
  const visit = await twoClients(t)
  await changePassword(visit, PASSWORD, NEW_PASSWORD)
  assert.equal((await signIn(new Visitor(visit.app), visit.email, PASSWORD)).statusCode, 401)
  assert.equal((await signIn(new Visitor(visit.app), visit.email, NEW_PASSWORD)).statusCode, 303)
})

test("a change leaves other accounts' sessions alone", async (t) => {
  const visit = await twoClients(t)
  const stranger = new Visitor(visit.app)
  const strangerEmail = uniqueEmail()
  await createAccount(visit.db, strangerEmail)
  await signIn(stranger, strangerEmail)
  await changePassword(visit, PASSWORD, NEW_PASSWORD)
  assert.equal((await stranger.get('/account')).statusCode, 200)
})

test('the new password is stored as a fresh argon2id hash', async (t) => {
  const visit = await twoClients(t)
  await changePassword(visit, PASSWORD, NEW_PASSWORD)
  const user = await visit.db.prisma.user.findUniqueOrThrow({ where: { id: visit.user.id } })
  assert.notEqual(user.passwordHash, visit.user.passwordHash)
  assert.match(user.passwordHash, /^\$argon2id\$/)
  const sessions = await storedSessions(visit, { userId: visit.user.id })
  assert.ok(!JSON.stringify(sessions).includes(NEW_PASSWORD), 'no password in any session row')
})

test('guessing the current password is throttled like signing in: the sixth wrong guess gets 429', async (t) => {
  const visit = await twoClients(t)
  for (let attempt = 1; attempt <= 5; attempt++) {
    assert.equal((await changePassword(visit, `wrong guess ${attempt}`, NEW_PASSWORD)).statusCode, 400)
  }
  const refused = await changePassword(visit, PASSWORD, NEW_PASSWORD)
  assert.equal(refused.statusCode, 429)
  assert.ok(Number(refused.headers['retry-after']) > 0)
  assert.match(refused.body, /Too many failed attempts/)
  const refusedAtSignIn = await signIn(visit.other, visit.email)
  assert.equal(refusedAtSignIn.statusCode, 429, 'the same counter as the sign-in form')
})

test('a change mails a notice to the account through the mail server and records the event; a refused one neither', async (t) => {
  const shop = await startShopWithMail(t)
  const email = uniqueEmail()
  const user = await createAccount(shop.db, email)
  await signIn(shop, email)
  assert.equal((await changePassword(shop, 'not my password', NEW_PASSWORD)).statusCode, 400)
  assert.equal((await changePassword(shop, PASSWORD, NEW_PASSWORD)).statusCode, 303)
  await waitUntilAllSent(shop.db)
  const notices = shop.smtp.received.filter((mail) => mail.subject === 'Your Cartwheel password was changed')
  assert.equal(notices.length, 1)
  assert.equal(notices[0]?.to, email)
  assert.match(notices[0]?.text ?? '', /was changed at .* Every other session of the account was signed out\./)
  const events = await shop.db.prisma.securityEvent.findMany({
    where: { userId: user.id, NOT: { kind: { startsWith: 'sign' } } }, // the sign-ins' own events aside
  })
  assert.deepEqual(
    events.map((event) => event.kind),
    ['password-changed'],
  )
})
