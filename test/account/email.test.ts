// Changing the email: a link to the new address, notices to the old one, and no change until the link is
// followed; a taken address is 409; a link works once.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createAccount, createFileDatabase, signIn, startSignedInVisit, uniqueEmail } from '../helpers/accounts.ts'
import type { startVisit } from '../helpers/app.ts'
import { flashOf, signedInEmailOf } from '../helpers/pages.ts'
import { Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()
const CONFIRM_SECONDS = 60

const signedIn = (t: Parameters<typeof startVisit>[0]) =>
  startSignedInVisit(t, { databaseUrl, confirmSeconds: CONFIRM_SECONDS })

type Db = Awaited<ReturnType<typeof signedIn>>['db']

const mailTo = (db: Db, recipient: string) =>
  db.prisma.outboxMessage.findMany({ where: { recipient }, orderBy: { id: 'asc' } })

/** The path of the change link in the newest mail to `recipient`. */
async function linkIn(db: Db, recipient: string): Promise<string> {
  const [mail] = (await mailTo(db, recipient)).slice(-1)
  const path = /http:\/\/localhost:\d+(\/account\/email\/[A-Za-z0-9_-]+)/.exec(mail?.text ?? '')?.[1]
  assert.ok(path, `no change link in the mail to ${recipient}`)
  return path
}

test('asking mails a link to the new address and a notice to the old one, and changes nothing yet', async (t) => {
  const visit = await signedIn(t)
  const newEmail = uniqueEmail('new')
  const res = await visit.submit('/account/email', { new_email: `  ${newEmail.toUpperCase()} ` })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account/email')
  assert.match(flashOf((await visit.get('/account/email')).body) ?? '', new RegExp(`We sent a link to ${newEmail}`))
  const [link] = await mailTo(visit.db, newEmail)
  assert.equal(link?.subject, 'Confirm your new email address')
  const [notice] = await mailTo(visit.db, visit.email)
  assert.match(notice?.text ?? '', /asked to change its email address/)
  const user = await visit.db.prisma.user.findUniqueOrThrow({ where: { id: visit.user.id } })
  assert.equal(user.email, visit.email)
  assert.equal(signedInEmailOf((await visit.get('/account')).body), visit.email)
})

test('following the link changes the email, verifies it, tells the old address and records the event', async (t) => {
  const visit = await signedIn(t)
  const newEmail = uniqueEmail('new')
  await visit.submit('/account/email', { new_email: newEmail })
  const res = await visit.get(await linkIn(visit.db, newEmail))
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account')
  const account = await visit.get('/account')
  assert.equal(signedInEmailOf(account.body), newEmail)
  assert.equal(flashOf(account.body), `Your email is now ${newEmail}.`)
  const user = await visit.db.prisma.user.findUniqueOrThrow({ where: { id: visit.user.id } })
  assert.equal(user.email, newEmail)
  assert.ok(user.emailVerifiedAt)
  const notices = await mailTo(visit.db, visit.email)
  assert.equal(notices.length, 2)
  assert.match(notices[1]?.text ?? '', /was changed from/)
  const events = await visit.db.prisma.securityEvent.findMany({
    where: { userId: visit.user.id, NOT: { kind: { startsWith: 'sign' } } }, // the sign-ins' own events aside
  })
  assert.deepEqual(
    events.map((event) => event.kind),
    ['email-changed'],
  )
  // The new address signs in; the old one no longer does.
  assert.equal((await signIn(new Visitor(visit.app), newEmail)).statusCode, 303)
  assert.equal((await signIn(new Visitor(visit.app), visit.email)).statusCode, 401)
})

test('a link works once, and an unknown or expired one is a 400 page that changes nothing', async (t) => {
  const visit = await signedIn(t)
  const newEmail = uniqueEmail('new')
  await visit.submit('/account/email', { new_email: newEmail })
  const path = await linkIn(visit.db, newEmail)
  assert.equal((await visit.get(path)).statusCode, 303)
  const again = await visit.get(path)
  assert.equal(again.statusCode, 400)
  assert.match(again.body, /already been used/)
  assert.equal((await visit.get('/account/email/not-a-token')).statusCode, 400)

  const later = uniqueEmail('later')
  await visit.submit('/account/email', { new_email: later })
  visit.clock.advance(86_400 + 1)
  const expired = await visit.get(await linkIn(visit.db, later))
  assert.equal(expired.statusCode, 400)
  const user = await visit.db.prisma.user.findUniqueOrThrow({ where: { id: visit.user.id } })
  assert.equal(user.email, newEmail)
})

test('a newer link makes the older one void', async (t) => {
  const visit = await signedIn(t)
  const first = uniqueEmail('first')
  await visit.submit('/account/email', { new_email: first })
  const firstLink = await linkIn(visit.db, first)
  await visit.submit('/account/email', { new_email: uniqueEmail('second') })
  assert.equal((await visit.get(firstLink)).statusCode, 400)
})

test('an address another account uses is 409 with the form and its message, and mails nothing', async (t) => {
  const visit = await signedIn(t)
  const taken = uniqueEmail('taken')
  await createAccount(visit.db, taken)
  const res = await visit.submit('/account/email', { new_email: taken })
  assert.equal(res.statusCode, 409)
  assert.match(res.body, /Another account uses that address\./)
  assert.match(res.body, new RegExp(`value="${taken}"`))
  assert.equal((await mailTo(visit.db, taken)).length, 0)
  assert.equal((await mailTo(visit.db, visit.email)).length, 0)
})

test('an address taken between the request and the link leaves the email as it was (409 page)', async (t) => {
  const visit = await signedIn(t)
  const newEmail = uniqueEmail('new')
  await visit.submit('/account/email', { new_email: newEmail })
  await createAccount(visit.db, newEmail)
  const res = await visit.get(await linkIn(visit.db, newEmail))
  assert.equal(res.statusCode, 409)
  const user = await visit.db.prisma.user.findUniqueOrThrow({ where: { id: visit.user.id } })
  assert.equal(user.email, visit.email)
})

test('a malformed address is 400 with a message; a control character too', async (t) => {
  const visit = await signedIn(t)
  for (const bad of ['not-an-address', 'ann\u0001@x.test', '']) {
    const res = await visit.submit('/account/email', { new_email: bad })
    assert.equal(res.statusCode, 400, JSON.stringify(bad))
    assert.match(res.body, /class="field-error" id="new_email-error"/)
  }
})

test('with a stale confirmation, the page and its form go to the confirm page first', async (t) => {
  const visit = await signedIn(t)
  const token = await visit.csrfToken('/account/email')
  visit.clock.advance(CONFIRM_SECONDS + 1)
  const page = await visit.get('/account/email')
  assert.equal(page.headers.location, '/account/confirm?next=%2Faccount%2Femail')
  const res = await visit.post('/account/email', { _csrf: token, new_email: uniqueEmail('new') })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account/confirm?next=%2Faccount%2Femail')
  assert.equal(await visit.db.prisma.emailToken.count({ where: { userId: visit.user.id } }), 0)
})
