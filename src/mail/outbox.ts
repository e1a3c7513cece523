// The outbox: a message is a row written in the same transaction as the change that causes it, and
// src/mail/sender.ts sends it afterwards. A change never commits without its mail, and a mail server that
// is down delays mail but fails no page.
import type { Prisma as PrismaTypes } from '../generated/prisma/client.ts'
import type { Mail } from './compose.ts'

type Writer = Pick<PrismaTypes.TransactionClient, 'outboxMessage'>

/** Queues `mail`; pass the transaction's client so the message commits (or not) with the change. */
export function enqueueMail(tx: Writer, mail: Mail) {
  return tx.outboxMessage.create({ data: { recipient: mail.to, subject: mail.subject, text: mail.text } })
}
