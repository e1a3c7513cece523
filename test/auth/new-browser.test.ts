// The new-browser notice: a sign-in from a browser the account has not used before mails the account's
// address (through a real SMTP server), whichever way the sign-in came; the same browser again mails nothing.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createAccount, PASSWORD, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startShopWithMail, waitUntilAllSent } from '../helpers/shop-with-mail.ts'
import type { TestSmtpServer } from '../helpers/smtp.ts'
import { findForm, Visitor } from '../helpers/visitor.ts'
import { totpCode, turnOn } from '../two-factor/helpers.ts'

const FIREFOX = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' }
const SAFARI = {
  'user-agent':
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
}
const SUBJECT = 'A new sign-in to your Cartwheel account'

const noticesTo = (smtp: TestSmtpServer, email: string) =>
  smtp.received.filter((mail) => mail.to === email && mail.subject === SUBJECT)

test('a first sign-in from a browser mails a notice naming it; the same browser again mails none; another one does', async (t) => {
  const shop = await startShopWithMail(t)
  const email = uniqueEmail()
  await createAccount(shop.db, email)

  assert.equal((await signIn(new Visitor(shop.app), email, undefined, { headers: FIREFOX })).statusCode, 303)
  await shop.smtp.waitFor(() => noticesTo(shop.smtp, email).length === 1)
  assert.match(noticesTo(shop.smtp, email)[0]?.text ?? '', /Firefox 133 on Linux/)
  assert.match(noticesTo(shop.smtp, email)[0]?.text ?? '', /\/account\/sessions/)

  assert.equal((await signIn(new Visitor(shop.app), email, undefined, { headers: FIREFOX })).statusCode, 303)
  await waitUntilAllSent(shop.db)
  assert.equal(noticesTo(shop.smtp, email).length, 1, 'the same browser is not new')

  assert.equal((await signIn(new Visitor(shop.app), email, undefined, { headers: SAFARI })).statusCode, 303)
  await shop.smtp.waitFor(() => noticesTo(shop.smtp, email).length === 2)
  assert.match(noticesTo(shop.smtp, email)[1]?.text ?? '', /Safari/)
})

test('the browser that registered is known: signing in from it again mails no notice', async (t) => {
  const shop = await startShopWithMail(t)
  const email = uniqueEmail()
  const registering = new Visitor(shop.app)
  const page = await registering.get('/register', FIREFOX)
  assert.equal(page.statusCode, 200)
  const form = findForm(page.body, '/register')
  assert.ok(form)
  const registered = await registering.post('/register', { ...form.fields, email, password: PASSWORD }, FIREFOX)
  assert.equal(registered.statusCode, 303)
  assert.equal((await signIn(new Visitor(shop.app), email, PASSWORD, { headers: FIREFOX })).statusCode, 303)
  await waitUntilAllSent(shop.db)
  assert.deepEqual(noticesTo(shop.smtp, email), [])
})

test('a sign-in completed by the two-factor step from a new browser mails the notice too', async (t) => {
  const shop = await startShopWithMail(t)
  const email = uniqueEmail()
  await createAccount(shop.db, email)
  await signIn(shop, email, undefined, { headers: FIREFOX })
  const { secret } = await turnOn(shop)
  await shop.smtp.waitFor(() => noticesTo(shop.smtp, email).length === 1)

  const phone = new Visitor(shop.app)
  assert.equal((await signIn(phone, email, undefined, { headers: SAFARI })).headers.location, '/login/two-factor')
  await waitUntilAllSent(shop.db)
  assert.equal(noticesTo(shop.smtp, email).length, 1, 'the password step alone is not a sign-in')
  const form = findForm((await phone.get('/login/two-factor', SAFARI)).body, '/login/two-factor')
  assert.ok(form)
  const done = await phone.post(
    '/login/two-factor',
    { ...form.fields, code: totpCode(secret, shop.clock.now()) },
    SAFARI,
  )
  assert.equal(done.statusCode, 303)
  await shop.smtp.waitFor(() => noticesTo(shop.smtp, email).length === 2)
  assert.match(noticesTo(shop.smtp, email)[1]?.text ?? '', /Safari/)
})
