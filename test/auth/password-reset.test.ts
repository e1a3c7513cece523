// Password reset through real mail: a link to the account's address sets a new password once, ends every
// session, and a used, replaced, expired or tampered link is a 400 page that changes nothing.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createAccount, PASSWORD, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { flashOf, signedInEmailOf } from '../helpers/pages.ts'
import { askForReset, resetLinkFor, setPasswordThrough, startShopWithMail } from '../helpers/shop-with-mail.ts'
import { findForm, Visitor } from '../helpers/visitor.ts'

const NEW_PASSWORD = 'a brand new passphrase'

test('a forgotten password: the mailed link sets a new one, every session ends, the old password stops working', async (t) => {
  const shop = await startShopWithMail(t)
  const email = uniqueEmail()
  const user = await createAccount(shop.db, email)
  const otherBrowser = new Visitor(shop.app)
  assert.equal((await signIn(otherBrowser, email)).statusCode, 303)
  // The reset is asked for and made from a browser signed in to the account: that session ends too.
  assert.equal((await signIn(shop, email)).statusCode, 303)

  const asked = await askForReset(shop, `  ${email.toUpperCase()} `)
  assert.equal(asked.statusCode, 200)
  assert.match(asked.body, /Check your email/)
  const path = await resetLinkFor(shop.smtp, email)
  const form = await shop.get(path)
  assert.equal(form.statusCode, 200)
  assert.ok(findForm(form.body, path), 'the page has a form posting to the link')
  assert.match(form.body, /name="new_password" type="password"/)

  const done = await setPasswordThrough(shop, path, NEW_PASSWORD)
  assert.equal(done.statusCode, 303)
  assert.equal(done.headers.location, '/login')
  const login = await shop.get('/login')
  assert.equal(flashOf(login.body), 'Your password is set. Sign in with your new password.')
  assert.equal(signedInEmailOf(login.body), null)
  assert.equal((await otherBrowser.get('/account')).statusCode, 303, 'the other browser is signed out')

  assert.equal((await signIn(new Visitor(shop.app), email, PASSWORD)).statusCode, 401)
  const fresh = new Visitor(shop.app)
  assert.equal((await signIn(fresh, email, NEW_PASSWORD)).statusCode, 303)
  assert.equal(signedInEmailOf((await fresh.get('/account')).body), email)

  await shop.smtp.waitFor(() =>
    shop.smtp.received.some((mail) => mail.subject === 'Your Cartwheel password was changed'),
  )
  const notice = shop.smtp.received.find((mail) => mail.subject === 'Your Cartwheel password was changed')
  assert.equal(notice?.to, email)
  assert.match(notice?.text ?? '', /was reset at .* Every session of the account was signed out\./)
  const account = await shop.db.prisma.user.findUniqueOrThrow({ where: { id: user.id } })
  assert.ok(account.emailVerifiedAt, 'following the link proved the address')
  const events = await shop.db.prisma.securityEvent.findMany({
    where: { userId: user.id, NOT: { kind: { startsWith: 'sign' } } }, // the sign-ins' own events aside
  })
  assert.deepEqual(
    events.map((event) => event.kind),
    ['password-reset'],
  )
})

test('a link works once: followed again, its page and its form are a 400 saying so, with a link to ask again', async (t) => {
  const shop = await startShopWithMail(t)
  const email = uniqueEmail()
  await createAccount(shop.db, email)
  await askForReset(shop, email)
  const path = await resetLinkFor(shop.smtp, email)
  assert.equal((await setPasswordThrough(shop, path, NEW_PASSWORD)).statusCode, 303)
  const again = await shop.get(path)
  assert.equal(again.statusCode, 400)
  assert.match(again.body, /has already been used/)
  assert.match(again.body, /<a href="\/password\/forgot">Ask for a new link<\/a>/)
  const replay = await shop.post(path, {
    _csrf: await shop.csrfToken('/password/forgot'),
    new_password: 'yet another passphrase',
  })
  assert.equal(replay.statusCode, 400)
  assert.equal((await signIn(new Visitor(shop.app), email, NEW_PASSWORD)).statusCode, 303)
})

test('two posts of one link at the same moment: one sets the password, the other is told the link is used', async (t) => {
  const shop = await startShopWithMail(t)
  const email = uniqueEmail()
  await createAccount(shop.db, email)
  await askForReset(shop, email)
  const path = await resetLinkFor(shop.smtp, email)
  const _csrf = await shop.csrfToken(path)
  const passwords = ['first tab passphrase', 'second tab passphrase']
  const answers = await Promise.all(passwords.map((new_password) => shop.post(path, { _csrf, new_password })))
  assert.deepEqual(answers.map((answer) => answer.statusCode).sort(), [303, 400])
  const winner = passwords[answers.findIndex((answer) => answer.statusCode === 303)]
  assert.equal((await signIn(new Visitor(shop.app), email, winner)).statusCode, 303)
})

test('a link expires after RESET_TOKEN_SECONDS, and then changes nothing', async (t) => {
  const shop = await startShopWithMail(t, { RESET_TOKEN_SECONDS: '600' })
  const email = uniqueEmail()
  await createAccount(shop.db, email)
  await askForReset(shop, email)
  const path = await resetLinkFor(shop.smtp, email)
  assert.match(shop.smtp.received[0]?.text ?? '', /expires in 10 minutes/)
  shop.clock.advance(599)
  const csrf = await shop.csrfToken(path)
  shop.clock.advance(1)
  const expired = await shop.get(path)
  assert.equal(expired.statusCode, 400)
  assert.match(expired.body, /has expired/)
  assert.equal((await shop.post(path, { _csrf: csrf, new_password: NEW_PASSWORD })).statusCode, 400)
  assert.equal((await signIn(new Visitor(shop.app), email, PASSWORD)).statusCode, 303, 'the password is unchanged')
})

test('a newer link makes the older one invalid', async (t) => {
  const shop = await startShopWithMail(t)
  const email = uniqueEmail()
  await createAccount(shop.db, email)
  await askForReset(shop, email)
  const older = await resetLinkFor(shop.smtp, email, 1)
  await askForReset(shop, email)
  const newer = await resetLinkFor(shop.smtp, email, 2)
  assert.notEqual(older, newer)
  const replaced = await shop.get(older)
  assert.equal(replaced.statusCode, 400)
  assert.match(replaced.body, /was replaced by a newer one/)
  assert.equal((await shop.get(newer)).statusCode, 200)
})

test('a tampered, truncated or made-up link is a 400 page, and the real one still works', async (t) => {
  const shop = await startShopWithMail(t)
  const email = uniqueEmail()
  await createAccount(shop.db, email)
  await askForReset(shop, email)
  const path = await resetLinkFor(shop.smtp, email)
  const last = path.at(-1) === 'A' ? 'B' : 'A'
  for (const bad of [path.slice(0, -1) + last, path.slice(0, -1), `${path}A`, '/password/reset/x'.padEnd(5000, 'x')]) {
    const res = await shop.get(bad)
    assert.equal(res.statusCode, 400, bad.slice(0, 80))
    assert.match(res.body, /This link does not work/)
  }
  assert.equal((await shop.get(path)).statusCode, 200)
})

test('the new password follows the register rules, and a refused one leaves the link usable', async (t) => {
  const shop = await startShopWithMail(t)
  const email = uniqueEmail()
  await createAccount(shop.db, email)
  await askForReset(shop, email)
  const path = await resetLinkFor(shop.smtp, email)
  const refusals: [string, RegExp][] = [
    ['short', /Use at least 8 characters\./],
    ['iloveyou', /too common/],
    ['tab\there password', /cannot contain control characters/],
    ['x'.repeat(257), /Use at most 256 characters\./],
  ]
  for (const [password, message] of refusals) {
    const res = await setPasswordThrough(shop, path, password)
    assert.equal(res.statusCode, 400, password)
    assert.match(res.body, message)
  }
  assert.equal((await setPasswordThrough(shop, path, NEW_PASSWORD)).statusCode, 303)
})
