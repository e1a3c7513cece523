// /account/activity: the account's security events of the last 90 days, newest first, and nobody else's;
// the housekeeping sweep deletes what is older.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sweepOldSecurityEvents } from '../../src/account/activity.ts'
import { createAccount, createFileDatabase, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()

/** The "What" column of the activity page, top to bottom. */
function whatColumn(html: string): string[] {
  return [...html.matchAll(/<tr>\s*<td>([^<]*)<\/td>/g)].map((match) => match[1] ?? '')
}

test('the activity page lists sign-ins, a failed sign-in and sessions ended, newest first', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  assert.equal((await signIn(new Visitor(visit.app), email, 'not the password')).statusCode, 401)
  visit.clock.advance(60)
  assert.equal((await signIn(new Visitor(visit.app), email)).statusCode, 303)
  visit.clock.advance(60)
  assert.equal((await signIn(visit, email)).statusCode, 303)
  visit.clock.advance(60)
  const ended = await visit.submit('/account/sessions', {}, '/account/sessions/others/delete')
  assert.equal(ended.statusCode, 303)

  const page = await visit.get('/account/activity')
  assert.equal(page.statusCode, 200)
  assert.equal(page.headers['cache-control'], 'no-store')
  assert.deepEqual(whatColumn(page.body), [
    'Signed out all other sessions',
    'Signed in with the password',
    'Signed in with the password',
    'A sign-in failed: wrong password',
  ])
  assert.match((await visit.get('/account')).body, /href="\/account\/activity"/)
})

test("an account's activity shows none of another account's events", async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const [ann, bob] = [uniqueEmail('ann'), uniqueEmail('bob')]
  await createAccount(visit.db, ann)
  await createAccount(visit.db, bob)
  assert.equal((await signIn(new Visitor(visit.app), bob, 'not the password')).statusCode, 401)
  await signIn(visit, ann)
  assert.deepEqual(whatColumn((await visit.get('/account/activity')).body), ['Signed in with the password'])
})

test('events older than 90 days leave the page and are deleted by the sweep; newer ones stay', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  const user = await createAccount(visit.db, email)
  await signIn(new Visitor(visit.app), email)
  visit.clock.advance(89 * 86_400)
  const recent = new Visitor(visit.app)
  await signIn(recent, email)
  assert.equal(whatColumn((await recent.get('/account/activity')).body).length, 2)

  // 91 days after the first sign-in (sessions last 12 hours: a fresh one reads the page).
  visit.clock.advance(2 * 86_400)
  await signIn(visit, email)
  assert.equal(whatColumn((await visit.get('/account/activity')).body).length, 2, 'the first one is gone')
  const count = () => visit.db.prisma.securityEvent.count({ where: { userId: user.id } })
  assert.equal(await count(), 3, 'the page hides it before the sweep has run')
  await sweepOldSecurityEvents(visit.db, visit.clock.now())
  assert.equal(await count(), 2)
})
