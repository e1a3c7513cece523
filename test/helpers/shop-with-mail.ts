// The password reset as a visitor meets it: the shop with a real SMTP server to send to, the forgot form,
// and the link read out of the mail that arrived.
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { startVisit, type TestApp } from './app.ts'
import { type Received, startSmtpServer, type TestSmtpServer } from './smtp.ts'
import type { Visitor } from './visitor.ts'

const fastSender = { pollMs: 50, firstRetrySeconds: 0.2, leaseSeconds: 5 }

/**
 * The shop on a database of its own (its sender must not deliver another test's mail) with MAIL_URL pointing
 * at a real SMTP server, and one visitor.
 */
export async function startShopWithMail(t: Pick<TestContext, 'after'>, env: Record<string, string> = {}) {
  const smtp = await startSmtpServer(t)
  const visit = await startVisit(t, { env: { MAIL_URL: smtp.url, ...env }, mailSender: fastSender })
  return Object.assign(visit, { smtp })
}

export const askForReset = (visitor: Visitor, email: string) => visitor.submit('/password/forgot', { email })

export const resetMailsTo = (smtp: TestSmtpServer, email: string): Received[] =>
  smtp.received.filter((mail) => mail.to === email && mail.subject === 'Reset your Cartwheel password')

/** The path of the link in the `nth` reset mail (from 1) to reach `email`, once it has arrived. */
export async function resetLinkFor(smtp: TestSmtpServer, email: string, nth = 1): Promise<string> {
  await smtp.waitFor(() => resetMailsTo(smtp, email).length >= nth)
  const text = resetMailsTo(smtp, email)[nth - 1]?.text ?? ''
  const path = /^http:\/\/localhost:3000(\/password\/reset\/[A-Za-z0-9_-]{43})$/m.exec(text)?.[1]
  assert.ok(path, `no reset link in the mail to ${email}:\n${text}`)
  return path
}

/** Opens the link's page and posts its form with `newPassword`. */
export const setPasswordThrough = (visitor: Visitor, path: string, newPassword: string) =>
  visitor.submit(path, { new_password: newPassword })

/** Resolves once every message in the outbox has been sent. */
export async function waitUntilAllSent(db: TestApp['db'], ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while ((await db.prisma.outboxMessage.count({ where: { sentAt: null } })) > 0) {
    if (Date.now() > deadline) throw new Error(`the outbox was not sent within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
