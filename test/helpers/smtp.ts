// A real SMTP server for a test, on a loopback port: what the shop's sender talks to instead of a mail
// provider. It records every message it accepts, can refuse for a while, and can hold a message mid-DATA.
import type { AddressInfo } from 'node:net'
import type { TestContext } from 'node:test'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export type Received = { to: string; subject: string; text: string; messageId: string }

export class TestSmtpServer {
  readonly received: Received[] = []
  /** While set, every message is refused with a temporary failure (451), as a struggling server does. */
  isRefusing = false
  /** While set, a message's DATA is read but never answered, so the sender waits mid-send. */
  isHolding = false
  /** How many messages were held so far (see isHolding). */
  heldCount = 0
  #server: SMTPServer
  #port = 0
  #waiters: (() => void)[] = []

  constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        if (this.isHolding) {
          this.heldCount += 1
          stream.resume()
          this.#notify()
          return
        }
        simpleParser(stream).then(
          (mail) => {
            if (this.isRefusing) return callback(Object.assign(new Error('try again later'), { responseCode: 451 }))
            this.received.push(describe(mail))
            this.#notify()
            callback()
          },
          (error) => callback(error),
        )
      },
    })
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.#port}`
  }

  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(port, '127.0.0.1', resolve))
    this.#port = (this.#server.server.address() as AddressInfo).port
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()))
  }

  /** Resolves once `predicate` holds for what arrived (checked on every event), or rejects after `ms`. */
  async waitFor(predicate: () => boolean, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`SMTP: condition not met within ${ms} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100)
        this.#waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
  }

  #notify() {
    for (const wake of this.#waiters.splice(0)) wake()
  }
}

function describe(mail: ParsedMail): Received {
  const to = Array.isArray(mail.to) ? mail.to[0]?.text : mail.to?.text
  return { to: to ?? '', subject: mail.subject ?? '', text: mail.text ?? '', messageId: mail.messageId ?? '' }
}

/** A started server, closed when the test ends. */
export async function startSmtpServer(t: Pick<TestContext, 'after'>, port = 0): Promise<TestSmtpServer> {
  const server = new TestSmtpServer()
  await server.listen(port)
  t.after(() => server.close())
  return server
}
