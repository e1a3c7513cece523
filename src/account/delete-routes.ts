// /account/delete: deleting the account, once its email is typed again (signed in, confirmed).
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { findUserById } from '../auth/find-user.ts'
import { currentUserId, requireUser } from '../auth/guard.ts'
import { normalizeEmail } from '../auth/users.ts'
import { confirmationGuard } from '../confirm/confirm.ts'
import { parseForm, textField } from '../forms/parse.ts'
import { renderError } from '../plugins/errors.ts'
import { deleteAccount } from './deletion.ts'

const deleteForm = z.object({ email: textField('Type your email address.').transform(normalizeEmail) })

const TITLE = 'Delete your account'
const NOT_YOURS = 'That is not this account’s email address. Type it exactly to delete the account.'

export async function deleteAccountRoutes(app: FastifyInstance, options: { confirmSeconds: number }) {
  app.addHook('preHandler', requireUser)
  app.addHook('preHandler', confirmationGuard(options.confirmSeconds))

  app.get('/account/delete', async (_request, reply) => reply.viewAsync('account/delete', { title: TITLE, values: {} }))

  app.post('/account/delete', { config: { signInNext: '/account/delete' } }, async (request, reply) => {
    const form = parseForm(deleteForm, request.body)
    const user = await findUserById(app.db, currentUserId(request))
    if (user === null) return renderError(reply, 404)
    if (!form.ok || form.data.email !== user.email) {
      const errors = { email: form.ok ? NOT_YOURS : (form.messages.email ?? NOT_YOURS) }
      const values = form.ok ? { email: form.data.email } : form.values
      return reply.code(400).viewAsync('account/delete', { title: TITLE, values, errors })
    }
    await deleteAccount(app.sessions.accounts, user.id)
    // This session went with the account. A new guest session carries the message to the catalog, through the
    // flash every page shows; the old id is never taken up again.
    await request.session.regenerate()
    request.session.cookie.expires = null
    request.session.flash = 'Your account is deleted. Your orders are kept without your email address.'
    return reply.redirect('/', 303)
  })
}
