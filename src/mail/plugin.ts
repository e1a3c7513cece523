// `app.mail`: composes a message from its template (see compose.ts). With MAIL_URL set, this instance also
// runs a sender for the outbox while it is up; without it nothing is sent (see mailbox.ts).
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { MailConfig } from '../config.ts'
import { type ComposeMail, mailComposer } from './compose.ts'
import { OutboxSender, type SenderOptions } from './sender.ts'

declare module 'fastify' {
  interface FastifyInstance {
    mail: ComposeMail
  }
}

export type MailPluginOptions = { mail: MailConfig; sender?: Partial<SenderOptions> }

export const mailPlugin = fp(
  async (app: FastifyInstance, options: MailPluginOptions) => {
    app.decorate('mail', mailComposer(options.mail.publicUrl))
    const { url } = options.mail
    if (url === undefined) return
    const sender = new OutboxSender(app.db, {
      mailUrl: url,
      from: options.mail.from,
      onError: (error) => app.log.warn({ err: error }, 'outbox: a sending round failed'),
      ...options.sender,
    })
    app.addHook('onReady', async () => sender.start())
    app.addHook('onClose', () => sender.stop())
  },
  { name: 'mail', dependencies: ['db'] },
)
