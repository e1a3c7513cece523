// What asking for a reset tells, and how often it can be asked: the same answer for any email, at most 3
// links per email per hour even in parallel, SIGNUP_LIMIT_PER_ADDRESS per client address, and a reset that
// lets an email locked out by failed sign-ins in at once.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createAccount, PASSWORD, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { holdRowLock, untilSomeoneWaitsForALock } from '../helpers/locks.ts'
import {
  askForReset,
  resetLinkFor,
  resetMailsTo,
  setPasswordThrough,
  startShopWithMail,
  waitUntilAllSent,
} from '../helpers/shop-with-mail.ts'
import { Visitor } from '../helpers/visitor.ts'

const NEW_PASSWORD = 'a brand new passphrase'

/** The page with what differs by construction taken out: the visitor's CSRF token and the email it typed. */
const normalized = (body: string, email: string) =>
  body.replace(/name="_csrf" value="[^"]*"/g, 'name="_csrf" value=""').replaceAll(email, '<email>')

test('asking for a known and an unknown email gives the same status and page, and mails only the account', async (t) => {
  const shop = await startShopWithMail(t)
  const known = uniqueEmail()
  const unknown = uniqueEmail('nobody')
  await createAccount(shop.db, known)
  const knownAnswer = await askForReset(new Visitor(shop.app), known)
  const unknownAnswer = await askForReset(new Visitor(shop.app), unknown)
  assert.equal(knownAnswer.statusCode, 200)
  assert.equal(unknownAnswer.statusCode, 200)
  assert.equal(normalized(knownAnswer.body, known), normalized(unknownAnswer.body, unknown))
  await resetLinkFor(shop.smtp, known)
  assert.equal(await shop.db.prisma.outboxMessage.count({ where: { recipient: unknown } }), 0)
})

test('six requests at once for one email, after a first: 3 links in all, the same page for every request, and a fourth an hour later', async (t) => {
  const shop = await startShopWithMail(t)
  const email = uniqueEmail()
  const user = await createAccount(shop.db, email)
  await askForReset(shop, email)
  // The first link's row held: the first of the six waits on it with the email's lock taken, and the other
  // five queue behind that lock. Without it, all six would count one link and all would send.
  const held = await holdRowLock(shop.config.databaseUrl, 'SELECT 1 FROM "EmailToken" WHERE "userId" = $1', [user.id])
  const _csrf = await shop.csrfToken('/password/forgot')
  const answers = Array.from({ length: 6 }, () => shop.post('/password/forgot', { _csrf, email }))
  await untilSomeoneWaitsForALock(shop.config.databaseUrl, 6)
  await held.release()
  for (const answer of await Promise.all(answers)) {
    assert.equal(answer.statusCode, 200)
    assert.match(answer.body, /Check your email/)
  }
  // Every queued message delivered: nothing more is on its way.
  await waitUntilAllSent(shop.db)
  assert.equal(resetMailsTo(shop.smtp, email).length, 3)

  shop.clock.advance(3600)
  await askForReset(shop, email)
  await resetLinkFor(shop.smtp, email, 4)
})

test('a reset lets an email locked out by failed sign-ins (429) sign in right away', async (t) => {
  const shop = await startShopWithMail(t)
  const email = uniqueEmail()
  await createAccount(shop.db, email)
  for (let i = 0; i < 5; i++) assert.equal((await signIn(new Visitor(shop.app), email, `guess ${i}`)).statusCode, 401)
  assert.equal((await signIn(new Visitor(shop.app), email, PASSWORD)).statusCode, 429)
  await askForReset(shop, email)
  assert.equal((await setPasswordThrough(shop, await resetLinkFor(shop.smtp, email), NEW_PASSWORD)).statusCode, 303)
  assert.equal((await signIn(new Visitor(shop.app), email, NEW_PASSWORD)).statusCode, 303)
})

test('past SIGNUP_LIMIT_PER_ADDRESS requests from one address: 429 with Retry-After, counted apart from registering', async (t) => {
  const shop = await startShopWithMail(t, { SIGNUP_LIMIT_PER_ADDRESS: '2' })
  const email = uniqueEmail()
  await createAccount(shop.db, email)
  for (let i = 0; i < 2; i++) assert.equal((await askForReset(shop, uniqueEmail('nobody'))).statusCode, 200)
  const refused = await askForReset(shop, email)
  assert.equal(refused.statusCode, 429)
  assert.equal(refused.headers['retry-after'], String(15 * 60))
  assert.match(refused.body, /Too many requests from your network\. Try again in 15 minutes\./)
  assert.ok(refused.body.includes(`value="${email}"`), 'the email is kept')
  assert.equal(await shop.db.prisma.emailToken.count(), 0, 'no link for a refused request')
  const registered = await new Visitor(shop.app).submit('/register', { email: uniqueEmail(), password: PASSWORD })
  assert.equal(registered.statusCode, 303)
  shop.clock.advance(15 * 60)
  assert.equal((await askForReset(shop, email)).statusCode, 200)
})

test('a malformed email is a 400 with the form and its message, and sends nothing', async (t) => {
  const shop = await startShopWithMail(t)
  for (const email of ['not an address', 'ann\u0000@x.test', '']) {
    const res = await askForReset(shop, email)
    assert.equal(res.statusCode, 400, JSON.stringify(email))
    assert.match(res.body, /<form method="post" action="\/password\/forgot"/)
    assert.match(res.body, /Enter (an|your) email address/)
  }
  assert.equal(await shop.db.prisma.outboxMessage.count(), 0)
})
