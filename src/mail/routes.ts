// GET /dev/mailbox and /dev/mailbox/:id. Registered only outside production with no MAIL_URL (see app.ts),
// so everywhere else the paths are simply not there: 404.
import type { FastifyInstance } from 'fastify'
import { renderError } from '../plugins/errors.ts'
import { parseId } from '../shared/ids.ts'
import { findMailboxMessage, listMailbox } from './mailbox.ts'

export async function mailboxRoutes(app: FastifyInstance) {
  app.get('/dev/mailbox', async (_request, reply) => {
    const messages = await listMailbox(app.db)
    return reply.viewAsync('dev/mailbox', { title: 'Mailbox', messages })
  })

  app.get<{ Params: { id: string } }>('/dev/mailbox/:id', async (request, reply) => {
    const id = parseId(request.params.id)
    const message = id === null ? null : await findMailboxMessage(app.db, id)
    if (message === null) return renderError(reply, 404)
    return reply.viewAsync('dev/message', { title: message.subject, message })
  })
}
