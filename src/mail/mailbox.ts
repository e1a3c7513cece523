// The development mailbox: with no MAIL_URL outside production nothing is sent, and the outbox is shown at
// /dev/mailbox instead, so a newcomer can register and follow the link with no mail server at all.
import type { Database } from '../db/client.ts'

export type MailboxEntry = { id: number; recipient: string; subject: string; createdAt: Date }

export type MailboxMessage = MailboxEntry & { parts: TextPart[] }

/** A message's text, cut where a link starts and ends, so the page can make each link clickable. */
export type TextPart = { text: string; isLink: boolean }

export function listMailbox(db: Database, limit = 100): Promise<MailboxEntry[]> {
  return db.prisma.outboxMessage.findMany({
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: limit,
    select: { id: true, recipient: true, subject: true, createdAt: true },
  })
}

export async function findMailboxMessage(db: Database, id: number): Promise<MailboxMessage | null> {
  const message = await db.prisma.outboxMessage.findUnique({ where: { id } })
  if (message === null) return null
  const { recipient, subject, createdAt, text } = message
  return { id, recipient, subject, createdAt, parts: splitLinks(text) }
}

const LINK = /https?:\/\/[^\s<>"]+/g

export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = []
  let at = 0
  for (const match of text.matchAll(LINK)) {
    if (match.index > at) parts.push({ text: text.slice(at, match.index), isLink: false })
    parts.push({ text: match[0], isLink: true })
    at = match.index + match[0].length
  }
  if (at < text.length) parts.push({ text: text.slice(at), isLink: false })
  return parts
}
