// GET and POST /account/confirm: the password again, then back to the page that asked. Guessing it here is
// counted by the sign-in throttle, so a borrowed session is no way round that throttle.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { findUserById } from '../auth/find-user.ts'
import { currentUserId, requireUser } from '../auth/guard.ts'
import { safeNextPath } from '../auth/next-path.ts'
import { verifyPassword } from '../auth/passwords.ts'
import { clearFailures, reserveAttempt, tooManyAttemptsMessage } from '../auth/throttle.ts'
import { passwordField } from '../forms/fields.ts'
import { parseForm } from '../forms/parse.ts'
import { hasPasskeys } from '../passkeys/passkeys.ts'
import { renderError } from '../plugins/errors.ts'
import { markConfirmed } from './confirm.ts'

const confirmForm = z.object({
  password: passwordField,
  // Hidden, from the query. Anything but a local path means /account (safeNextPath), so it is never refused.
  next: z
    .unknown()
    .optional()
    .transform((value) => (typeof value === 'string' ? value : '')),
})

export async function confirmRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireUser)

  app.get<{ Querystring: { next?: unknown } }>('/account/confirm', async (request, reply) => {
    const next = typeof request.query.next === 'string' ? request.query.next : ''
    const withPasskey = await hasPasskeys(app.db, currentUserId(request))
    return reply.viewAsync('confirm/index', { title: 'Confirm it’s you', values: { next }, hasPasskeys: withPasskey })
  })

  app.post('/account/confirm', { config: { signInNext: '/account/confirm' } }, async (request, reply) => {
    const form = parseForm(confirmForm, request.body)
    const values = form.ok ? { next: form.data.next } : form.values
    const page = (status: number, errors: Record<string, string>) =>
      reply.code(status).viewAsync('confirm/index', { title: 'Confirm it’s you', values, errors })
    if (!form.ok) return page(400, form.messages)
    const user = await findUserById(app.db, currentUserId(request))
    if (user === null) return renderError(reply, 404)
    const keys = { email: user.email, ip: request.ip }
    const reservation = await reserveAttempt(app.sessions.attempts, keys)
    if (!reservation.isAllowed) {
      reply.header('retry-after', String(reservation.retryAfterSeconds))
      return page(429, { form: tooManyAttemptsMessage(reservation.retryAfterSeconds) })
    }
    if (!(await verifyPassword(user.passwordHash, form.data.password))) {
      return page(400, { password: 'That is not your password.' })
    }
    await clearFailures(app.sessions.attempts, keys, reservation)
    markConfirmed(request.session, app.clock.now())
    return reply.redirect(safeNextPath(form.data.next, '/account'), 303)
  })
}
