// The outbox against a real SMTP server on a loopback port: delivered once, kept through an outage, and
// shared by two instances without a message sent twice.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { mailComposer } from '../../src/mail/compose.ts'
import { enqueueMail } from '../../src/mail/outbox.ts'
import { startApp } from '../helpers/app.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { startSmtpServer } from '../helpers/smtp.ts'

const fastSender = { pollMs: 50, firstRetrySeconds: 0.2, leaseSeconds: 5 }
const compose = mailComposer('http://shop.test')

function queue(db: Awaited<ReturnType<typeof startApp>>['db'], count: number, prefix = 'm') {
  return db.prisma.$transaction(
    Array.from({ length: count }, (_, i) =>
      enqueueMail(db.prisma, { to: `${prefix}${i}@x.test`, subject: `Message ${prefix}${i}`, text: 'Hello\n' }),
    ),
  )
}

test('a queued message reaches the mail server once, with its text and a stable Message-ID', async (t) => {
  const smtp = await startSmtpServer(t)
  const { db } = await startApp(t, { env: { MAIL_URL: smtp.url }, mailSender: fastSender })
  const mail = compose('password-changed', 'ann@x.test', { email: 'ann@x.test', how: 'changed', when: 'now' })
  const row = await enqueueMail(db.prisma, mail)
  await smtp.waitFor(() => smtp.received.length === 1)
  const [received] = smtp.received
  assert.equal(received?.to, 'ann@x.test')
  assert.equal(received?.subject, 'Your Cartwheel password was changed')
  assert.match(received?.text ?? '', /http:\/\/shop\.test\/password\/forgot/)
  assert.equal(received?.messageId, `<${row.messageId}@cartwheel>`)
  // Marked sent once the server has said yes.
  await waitUntil(
    async () => (await db.prisma.outboxMessage.count({ where: { id: row.id, sentAt: { not: null } } })) === 1,
  )
})

test('a mail server that refuses for a while delays the mail but loses none, and sends none twice', async (t) => {
  const smtp = await startSmtpServer(t)
  smtp.isRefusing = true
  const { db } = await startApp(t, { env: { MAIL_URL: smtp.url }, mailSender: fastSender })
  await queue(db, 3)
  // Tried and refused: every message has failed at least once and is waiting for its retry.
  await waitUntil(async () => (await db.prisma.outboxMessage.count({ where: { lastError: { not: null } } })) === 3)
  assert.equal(smtp.received.length, 0)
  smtp.isRefusing = false
  await smtp.waitFor(() => smtp.received.length === 3)
  assert.equal(new Set(smtp.received.map((m) => m.messageId)).size, 3)
  await waitUntil(async () => (await db.prisma.outboxMessage.count({ where: { sentAt: null } })) === 0)
})

test('a mail server that is down at first: the messages go out once it is up', async (t) => {
  const smtp = await startSmtpServer(t)
  const port = Number(new URL(smtp.url).port)
  await smtp.close()
  const { db } = await startApp(t, { env: { MAIL_URL: `smtp://127.0.0.1:${port}` }, mailSender: fastSender })
  await queue(db, 2)
  await waitUntil(async () => (await db.prisma.outboxMessage.count({ where: { attempts: { gte: 1 } } })) === 2)
  const again = await startSmtpServer(t, port)
  await again.waitFor(() => again.received.length === 2)
  assert.deepEqual(again.received.map((m) => m.to).sort(), ['m0@x.test', 'm1@x.test'])
})

test('two instances sending one outbox deliver each message exactly once', async (t) => {
  const smtp = await startSmtpServer(t)
  const databaseUrl = await createTestDatabase(t)
  const env = { MAIL_URL: smtp.url }
  const one = await startApp(t, { databaseUrl, env, mailSender: fastSender })
  await startApp(t, { databaseUrl, env, mailSender: fastSender })
  await queue(one.db, 40)
  await smtp.waitFor(() => smtp.received.length >= 40)
  const ids = smtp.received.map((m) => m.messageId)
  assert.equal(ids.length, 40)
  assert.equal(new Set(ids).size, 40, 'no message twice')
})

async function waitUntil(condition: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
