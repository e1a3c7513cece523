// The outbox: a message is a row written in the same transaction as the change that causes it, and
// src/mail/sender.ts sends it afterwards. A change never commits without its mail, and a mail server that
// is down delays mail but fails no page.
import { Prisma } from '../generated/prisma/client.ts'
import type { Mail } from './compose.ts'

type Writer = Pick<Prisma.TransactionClient, 'outboxMessage'>

/** Queues `mail`; pass the transaction's client so the message commits (or not) with the change. */
export function enqueueMail(tx: Writer, mail: Mail) {
  return tx.outboxMessage.create({ data: { recipient: mail.to, subject: mail.subject, text: mail.text } })
}

/**
 * The same row as enqueueMail, as a statement to use inside a larger one: queued once for each row `source`
 * yields (none, or one). For a request that must cost the same round trips whether or not it sends mail.
 */
export function enqueueMailFrom(source: Prisma.Sql, mail: Mail): Prisma.Sql {
  return Prisma.sql`INSERT INTO "OutboxMessage" (recipient, subject, text)
    SELECT ${mail.to}, ${mail.subject}, ${mail.text} FROM ${source}`
}
