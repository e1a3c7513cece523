// /dev/mailbox: with no MAIL_URL outside production the outbox is shown, its links clickable; anywhere else
// the page is not there at all.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { enqueueMail } from '../../src/mail/outbox.ts'
import { startVisit } from '../helpers/app.ts'

const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_SECRET: 'a-production-secret-that-is-at-least-32-characters',
  MAIL_URL: 'smtp://127.0.0.1:2525',
  PUBLIC_URL: 'https://shop.example.com',
}

test('with no mail server the mailbox lists the outbox newest first, each message linking to its text', async (t) => {
  const visit = await startVisit(t)
  await enqueueMail(visit.db.prisma, { to: 'old@x.test', subject: 'The older one', text: 'First\n' })
  await enqueueMail(visit.db.prisma, { to: 'new@x.test', subject: 'The newer one', text: 'Second\n' })
  const res = await visit.get('/dev/mailbox')
  assert.equal(res.statusCode, 200)
  assert.ok(res.body.indexOf('The newer one') < res.body.indexOf('The older one'), 'newest first')
  assert.match(res.body, /new@x\.test/)
  assert.match(res.body, /href="\/dev\/mailbox\/\d+"/)
})

test("a message's page shows its text with every link clickable and nothing else unescaped", async (t) => {
  const visit = await startVisit(t)
  const text = 'Open http://localhost:3000/password/reset/abc123 now, or <b>not</b>.\n'
  const row = await enqueueMail(visit.db.prisma, { to: 'ann@x.test', subject: 'Reset', text })
  const res = await visit.get(`/dev/mailbox/${row.id}`)
  assert.equal(res.statusCode, 200)
  assert.match(res.body, /<a href="http:\/\/localhost:3000\/password\/reset\/abc123">/)
  assert.match(res.body, /&lt;b&gt;not&lt;\/b&gt;/)
})

test('the footer links to the mailbox in development and test, with no mail server set', async (t) => {
  const visit = await startVisit(t)
  assert.match((await visit.get('/')).body, /href="\/dev\/mailbox"/)
})

test('the mailbox is not there when a mail server is set', async (t) => {
  const visit = await startVisit(t, { env: { MAIL_URL: 'smtp://127.0.0.1:1' } })
  assert.equal((await visit.get('/dev/mailbox')).statusCode, 404)
  assert.doesNotMatch((await visit.get('/')).body, /dev\/mailbox/)
})

test('the mailbox is not there in production', async (t) => {
  const visit = await startVisit(t, { env: PRODUCTION })
  assert.equal((await visit.get('/dev/mailbox')).statusCode, 404)
  assert.equal((await visit.get('/dev/mailbox/1')).statusCode, 404)
})
