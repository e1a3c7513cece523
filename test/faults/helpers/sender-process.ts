// The outbox's sender alone, as a process of its own (`node --import tsx` this file), so that a test can
// kill -9 it in the middle of a send. Its lease is short, so that the test need not wait a minute for it.
import { openDatabase } from '../../../src/db/client.ts'
import { OutboxSender } from '../../../src/mail/sender.ts'

const [databaseUrl, mailUrl] = [process.env.DATABASE_URL, process.env.MAIL_URL]
if (!databaseUrl || !mailUrl) throw new Error('DATABASE_URL and MAIL_URL must be set')
export const SENDER_LEASE_SECONDS = 2
new OutboxSender(openDatabase(databaseUrl), {
  mailUrl,
  from: 'Cartwheel <shop@localhost>',
  leaseSeconds: SENDER_LEASE_SECONDS,
  pollMs: 50,
}).start()
// The sender's timer does not keep a process alive (in the shop, the server does): this stands in for it.
setInterval(() => undefined, 60_000)
