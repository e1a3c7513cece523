// Verifying the email: the registration's link arrives at a real SMTP server and verifies the address once;
// bad, expired and used links are 400; the resend button sends at most 3 links an hour, even in parallel.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createAccount, createFileDatabase, PASSWORD, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { flashOf } from '../helpers/pages.ts'
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp.ts'

const databaseUrl = await createFileDatabase()
const PUBLIC_URL = 'http://shop.test'
const fastSender = { pollMs: 50, firstRetrySeconds: 0.2, leaseSeconds: 5 }

async function startWithSmtp(t: Parameters<typeof startVisit>[0]) {
  const smtp = await startSmtpServer(t)
  // Sessions outlast the hour the tests move the clock by.
  const env = { MAIL_URL: smtp.url, PUBLIC_URL, VERIFY_TOKEN_SECONDS: '3600', SESSION_IDLE_SECONDS: '7200' }
  return Object.assign(await startVisit(t, { databaseUrl, env, mailSender: fastSender }), { smtp })
}

/** The path of the verify link in the newest mail `smtp` received for `email`. */
async function linkFor(smtp: TestSmtpServer, email: string): Promise<string> {
  await smtp.waitFor(() => smtp.received.some((mail) => mail.to === email))
  const mail = smtp.received.filter((received) => received.to === email).at(-1)
  const path = /http:\/\/shop\.test(\/email\/verify\/[A-Za-z0-9_-]{43}(\?next=[^\s]*)?)/.exec(mail?.text ?? '')?.[1]
  assert.ok(path, `no verify link in: ${mail?.text}`)
  return path
}

const isVerified = async (visit: Awaited<ReturnType<typeof startVisit>>, email: string) =>
  (await visit.db.prisma.user.findUniqueOrThrow({ where: { email } })).emailVerifiedAt !== null

test('registering mails a link under PUBLIC_URL; following it verifies the address and lands on /account', async (t) => {
  const visit = await startWithSmtp(t)
  const email = uniqueEmail()
  assert.equal((await visit.submit('/register', { email, password: PASSWORD })).statusCode, 303)
  const link = await linkFor(visit.smtp, email)
  assert.equal(visit.smtp.received.find((mail) => mail.to === email)?.subject, 'Confirm your email address')
  assert.match((await visit.get('/email/verify')).body, /is not verified yet/)
  assert.equal(await isVerified(visit, email), false)

  const followed = await visit.get(link)
  assert.equal(followed.statusCode, 303)
  assert.equal(followed.headers.location, '/account')
  assert.equal(flashOf((await visit.get('/account')).body), 'Thank you: your email address is verified.')
  assert.equal(await isVerified(visit, email), true)
  const page = await visit.get('/email/verify')
  assert.match(page.body, /is verified\./)
  assert.doesNotMatch(page.body, /Send the link again/)
})

test('a used, an expired and a tampered link are each a 400 page that verifies nothing', async (t) => {
  const visit = await startWithSmtp(t)
  const [used, expired] = [uniqueEmail('used'), uniqueEmail('expired')]
  await visit.submit('/register', { email: used, password: PASSWORD })
  const usedLink = await linkFor(visit.smtp, used)
  assert.equal((await visit.get(usedLink)).statusCode, 303)
  const again = await visit.get(usedLink)
  assert.equal(again.statusCode, 400)
  assert.match(again.body, /This link does not work/)

  await visit.submit('/register', { email: expired, password: PASSWORD })
  const expiredLink = await linkFor(visit.smtp, expired)
  const tampered = `${expiredLink.slice(0, -1)}${expiredLink.endsWith('A') ? 'B' : 'A'}`
  for (const path of [tampered, '/email/verify/short', `/email/verify/${'x'.repeat(5000)}`]) {
    assert.equal((await visit.get(path)).statusCode, 400, path.slice(0, 60))
  }
  visit.clock.advance(3600)
  assert.equal((await visit.get(expiredLink)).statusCode, 400)
  assert.equal(await isVerified(visit, expired), false)
})

test('six resend posts at once send exactly 3 links in the hour, and a new one once the hour has passed', async (t) => {
  const visit = await startWithSmtp(t)
  const email = uniqueEmail()
  await createAccount(visit.db, email, PASSWORD, { isVerified: false })
  await signIn(visit, email)
  const token = await visit.csrfToken('/email/verify')
  const answers = await Promise.all(
    Array.from({ length: 6 }, () => visit.post('/email/verify/resend', { _csrf: token })),
  )
  assert.deepEqual(
    answers.map((res) => [res.statusCode, res.headers.location]),
    Array(6).fill([303, '/email/verify']),
  )
  assert.match(flashOf((await visit.get('/email/verify')).body) ?? '', /We have sent 3 links in the last hour/)
  await visit.smtp.waitFor(() => visit.smtp.received.length >= 3)
  const queued = await visit.db.prisma.outboxMessage.count({ where: { recipient: email } })
  assert.equal(queued, 3)
  visit.clock.advance(3601)
  await visit.post('/email/verify/resend', { _csrf: token })
  await visit.smtp.waitFor(() => visit.smtp.received.length === 4)
  // The earlier links still work: any of them proves the inbox is the account's.
  assert.equal((await visit.get(await linkFor(visit.smtp, email))).statusCode, 303)
  assert.equal(await isVerified(visit, email), true)
})
