// Checkout asks for a verified email: an unverified account is sent to verify it, orders nothing, and after
// following the link (sent from that page) is back on its cart and can check out.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, createAccount, PASSWORD, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { product } from '../helpers/shop-data.ts'
import { startSmtpServer } from '../helpers/smtp.ts'

test('an unverified account that checks out goes to /email/verify?next=%2Fcart, orders nothing, and after the link checks out', async (t) => {
  const smtp = await startSmtpServer(t)
  const env = { MAIL_URL: smtp.url, PUBLIC_URL: 'http://shop.test' }
  const visit = await startVisit(t, { env, mailSender: { pollMs: 50, firstRetrySeconds: 0.2, leaseSeconds: 5 } })
  const email = uniqueEmail()
  await createAccount(visit.db, email, PASSWORD, { isVerified: false })
  await signIn(visit, email)
  await addToCart(visit, (await product(visit.db, 'camp-mug')).id)

  const refused = await visit.submit('/cart', {}, '/checkout')
  assert.equal(refused.statusCode, 303)
  assert.equal(refused.headers.location, '/email/verify?next=%2Fcart')
  assert.equal(await visit.db.prisma.order.count(), 0)

  // The page keeps `next` in its resend form, and the mailed link carries it.
  const sent = await visit.submit('/email/verify?next=%2Fcart', {}, '/email/verify/resend')
  assert.equal(sent.headers.location, '/email/verify?next=%2Fcart')
  await smtp.waitFor(() => smtp.received.length === 1)
  const link = /http:\/\/shop\.test(\/email\/verify\/\S+)/.exec(smtp.received[0]?.text ?? '')?.[1]
  assert.ok(link?.endsWith('?next=%2Fcart'), `the link: ${link}`)
  const followed = await visit.get(link as string)
  assert.equal(followed.headers.location, '/cart')

  const ordered = await visit.submit('/cart', {}, '/checkout')
  assert.equal(ordered.statusCode, 303)
  assert.match(ordered.headers.location as string, /^\/orders\/\d+$/)
  assert.equal(await visit.db.prisma.order.count(), 1)
})

test('a `next` that is not a local path is dropped from the page and the link', async (t) => {
  const visit = await startVisit(t)
  const email = uniqueEmail()
  await createAccount(visit.db, email, PASSWORD, { isVerified: false })
  await signIn(visit, email)
  const page = await visit.get('/email/verify?next=%2F%2Fevil.test')
  assert.doesNotMatch(page.body, /evil/)
  const sent = await visit.submit('/email/verify?next=%2F%2Fevil.test', { next: '//evil.test' }, '/email/verify/resend')
  assert.equal(sent.headers.location, '/email/verify')
  const [mail] = await visit.db.prisma.outboxMessage.findMany({ where: { recipient: email } })
  assert.doesNotMatch(mail?.text ?? '', /next=/)
})
