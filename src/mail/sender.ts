// Sends the outbox. Each round claims a few due messages with FOR UPDATE SKIP LOCKED and marks them claimed
// for a lease, so two instances never take the same message; a sender that dies mid-send lets go when its
// lease runs out, and the message is tried again. A failed attempt waits longer each time (1 s, 2 s, 4 s, …
// at most 10 minutes) and is never given up: mail is delayed, not lost.
import type { Transporter } from 'nodemailer'
import type { Database } from '../db/client.ts'

export type SenderOptions = {
  mailUrl: string
  from: string
  /** How long a claimed message is left alone by other senders. */
  leaseSeconds?: number
  /** The wait after a first failure, doubled after each further one. */
  firstRetrySeconds?: number
  /** How often the outbox is looked at: a message waits at most this long before its first attempt. */
  pollMs?: number
  onError?: (error: unknown) => void
}

const BATCH = 10
const LONGEST_RETRY_SECONDS = 600

type Claimed = { id: number; messageId: string; recipient: string; subject: string; text: string; attempts: number }

export class OutboxSender {
  readonly #db: Database
  readonly #options: Required<Omit<SenderOptions, 'onError'>> & Pick<SenderOptions, 'onError'>
  readonly #mailUrl: string
  // Made at the first message: nodemailer (some 10 MiB) is not loaded by an instance that has sent nothing.
  #transport: Promise<Transporter> | undefined
  #timer: NodeJS.Timeout | undefined
  #round: Promise<void> = Promise.resolve()
  #isStopped = true

  constructor(db: Database, options: SenderOptions) {
    this.#db = db
    this.#options = { leaseSeconds: 60, firstRetrySeconds: 1, pollMs: 1000, ...options }
    // Bounded waits: a mail server that accepts the connection and then says nothing must not hold a claim
    // past its lease.
    const url = new URL(options.mailUrl)
    for (const [name, value] of Object.entries({
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    }))
      if (!url.searchParams.has(name)) url.searchParams.set(name, String(value))
    this.#mailUrl = url.toString()
  }

  #transportOf(): Promise<Transporter> {
    this.#transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport(this.#mailUrl),
    )
    return this.#transport
  }

  start(): void {
    this.#isStopped = false
    this.#schedule(0)
  }

  /** Stops polling and waits for the messages in hand to be sent or released. */
  async stop(): Promise<void> {
    this.#isStopped = true
    clearTimeout(this.#timer)
    await this.#round
    ;(await this.#transport)?.close()
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.#round = this.#round.then(() => this.#runRound())
    }, delayMs)
    this.#timer.unref()
  }

  async #runRound(): Promise<void> {
    if (this.#isStopped) return
    let sentFullBatch = false
    try {
      sentFullBatch = (await this.sendDue()) === BATCH
    } catch (error) {
      this.#options.onError?.(error)
    }
    if (!this.#isStopped) this.#schedule(sentFullBatch ? 0 : this.#options.pollMs)
  }

  /** One round: claims what is due and tries each; the number of messages tried. */
  async sendDue(): Promise<number> {
    const claimed = await this.#claim()
    for (const message of claimed) await this.#send(message)
    return claimed.length
  }

  #claim(): Promise<Claimed[]> {
    const lease = `${this.#options.leaseSeconds} seconds`
    return this.#db.prisma.$queryRaw<Claimed[]>`
      UPDATE "OutboxMessage" SET "claimedUntil" = now() + ${lease}::interval, attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM "OutboxMessage"
        WHERE "sentAt" IS NULL AND "nextAttemptAt" <= now() AND ("claimedUntil" IS NULL OR "claimedUntil" < now())
        ORDER BY id LIMIT ${BATCH}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, "messageId"::text AS "messageId", recipient, subject, text, attempts`
  }

  async #send(message: Claimed): Promise<void> {
    try {
      await (await this.#transportOf()).sendMail({
        from: this.#options.from,
        to: message.recipient,
        subject: message.subject,
        text: message.text,
        // The same Message-ID on every attempt: a receiver can tell a retry from a second message.
        messageId: `<${message.messageId}@cartwheel>`,
      })
    } catch (error) {
      const waitSeconds = Math.min(LONGEST_RETRY_SECONDS, this.#options.firstRetrySeconds * 2 ** (message.attempts - 1))
      await this.#db.prisma.$executeRaw`
        UPDATE "OutboxMessage"
        SET "claimedUntil" = NULL, "nextAttemptAt" = now() + ${`${waitSeconds} seconds`}::interval,
          "lastError" = ${String((error as Error)?.message ?? error).slice(0, 500)}
        WHERE id = ${message.id}`
      return
    }
    await this.#db.prisma.$executeRaw`
      UPDATE "OutboxMessage" SET "sentAt" = now(), "claimedUntil" = NULL, "lastError" = NULL WHERE id = ${message.id}`
  }
}
