// kill -9 of the outbox's sender in the middle of a send: the messages it had claimed are neither lost nor
// sent twice. Its lease runs out and another sender delivers each of them once.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import { test } from 'node:test'
import { enqueueMail } from '../../src/mail/outbox.ts'
import { startApp } from '../helpers/app.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { openDb } from '../helpers/shop-data.ts'
import { waitUntilAllSent } from '../helpers/shop-with-mail.ts'
import { startSmtpServer } from '../helpers/smtp.ts'

const root = path.resolve(import.meta.dirname, '../..')
const MESSAGES = 5

test('kill -9 of the sender mid-send: after its lease another sender delivers every message, none twice', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const db = openDb(t, databaseUrl)
  const smtp = await startSmtpServer(t)
  smtp.isHolding = true
  await db.prisma.$transaction(
    Array.from({ length: MESSAGES }, (_, i) =>
      enqueueMail(db.prisma, { to: `m${i}@x.test`, subject: `Message ${i}`, text: 'Hello\n' }),
    ),
  )
  const sender = spawn(process.execPath, ['--import', 'tsx', 'test/faults/helpers/sender-process.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, MAIL_URL: smtp.url },
    stdio: 'ignore',
  })
  t.after(() => sender.kill('SIGKILL'))
  // The first message's DATA has arrived and is never answered: the sender is in the middle of sending it.
  await smtp.waitFor(() => smtp.heldCount === 1, 30_000)
  const exited = once(sender, 'exit')
  sender.kill('SIGKILL')
  assert.deepEqual(await exited, [null, 'SIGKILL'])
  assert.equal(
    await db.prisma.outboxMessage.count({ where: { sentAt: null, claimedUntil: { not: null } } }),
    MESSAGES,
    'the killed sender had claimed every message',
  )

  smtp.isHolding = false
  await startApp(t, { databaseUrl, env: { MAIL_URL: smtp.url }, mailSender: { pollMs: 50, leaseSeconds: 5 } })
  await waitUntilAllSent(db, 20_000)
  assert.deepEqual(smtp.received.map((mail) => mail.to).sort(), [
    'm0@x.test',
    'm1@x.test',
    'm2@x.test',
    'm3@x.test',
    'm4@x.test',
  ])
  assert.equal(new Set(smtp.received.map((mail) => mail.messageId)).size, MESSAGES)
})
