// The signed-in pages of an account: who you are, what happened to it, your sessions, your password.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { findUserById } from '../auth/find-user.ts'
import { currentUserId, requireUser } from '../auth/guard.ts'
import { changePassword } from '../auth/new-password.ts'
import { verifyPassword } from '../auth/passwords.ts'
import { endCurrentSession } from '../auth/session.ts'
import { clearFailures, reserveAttempt, tooManyAttemptsMessage } from '../auth/throttle.ts'
import { confirmationGuard } from '../confirm/confirm.ts'
import { newPasswordField, passwordField } from '../forms/fields.ts'
import { parseForm } from '../forms/parse.ts'
import { renderError } from '../plugins/errors.ts'
import { sessionRowId } from '../sessions/ids.ts'
import { formatDateTime } from '../shared/dates.ts'
import { seenFrom } from '../shared/security-events.ts'
import { ACTIVITY_DAYS, ACTIVITY_LIMIT, listRecentActivity } from './activity.ts'
import { endOtherSessions, endSession, listSessions } from './sessions.ts'

const currentPasswordForm = z.object({ current_password: passwordField })
const newPasswordForm = z.object({ new_password: newPasswordField })

export async function accountRoutes(app: FastifyInstance, options: { confirmSeconds: number }) {
  // Every route in this module is for signed-in users only.
  app.addHook('preHandler', requireUser)
  // The changes a borrowed session must not make without the password again (see confirm/confirm.ts).
  const requireConfirmed = confirmationGuard(options.confirmSeconds)

  app.get('/account', async (_request, reply) => reply.viewAsync('account/index', { title: 'Your account' }))

  app.get('/account/activity', async (request, reply) => {
    const entries = await listRecentActivity(app.db, currentUserId(request), app.clock.now())
    const page = { title: 'Account activity', entries, days: ACTIVITY_DAYS, isCut: entries.length === ACTIVITY_LIMIT }
    return reply.viewAsync('account/activity', page)
  })

  app.get('/account/sessions', async (request, reply) => {
    const userId = currentUserId(request)
    const currentId = sessionRowId(request.session)
    const sessions = await listSessions(app.sessions.accounts, userId, currentId)
    return reply.viewAsync('account/sessions', { title: 'Your sessions', sessions })
  })

  app.post<{ Params: { id: string } }>(
    '/account/sessions/:id/delete',
    { config: { signInNext: '/account/sessions' } },
    async (request, reply) => {
      const userId = currentUserId(request)
      const sessionId = await app.sessions.accounts.findOwn(userId, request.params.id)
      if (sessionId === null) return renderError(reply, 404)
      if (sessionId === sessionRowId(request.session)) {
        // Ending the current session is signing out.
        await endCurrentSession(request, reply)
        return reply.redirect('/', 303)
      }
      await endSession(app.sessions.accounts, userId, sessionId, { seenFrom: seenFrom(request), now: app.clock.now() })
      request.session.flash = 'That session is signed out.'
      return reply.redirect('/account/sessions', 303)
    },
  )

  app.post(
    '/account/sessions/others/delete',
    { preHandler: requireConfirmed, config: { signInNext: '/account/sessions' } },
    async (request, reply) => {
      const by = { seenFrom: seenFrom(request), now: app.clock.now() }
      const count = await endOtherSessions(
        app.sessions.accounts,
        currentUserId(request),
        sessionRowId(request.session),
        by,
      )
      request.session.flash = `Signed out ${count} other session${count === 1 ? '' : 's'}.`
      return reply.redirect('/account/sessions', 303)
    },
  )

  app.get('/account/password', { preHandler: requireConfirmed }, async (_request, reply) => {
    return reply.viewAsync('account/password', { title: 'Change password' })
  })

  app.post(
    '/account/password',
    { preHandler: requireConfirmed, config: { signInNext: '/account/password' } },
    async (request, reply) => {
      const title = 'Change password'
      // Parsed apart: the current password is checked even when the new one is refused, so that each field
      // gets its message at once.
      const current = parseForm(currentPasswordForm, request.body)
      const chosen = parseForm(newPasswordForm, request.body)
      const errors: Record<string, string> = chosen.ok ? {} : { ...chosen.messages }
      if (!current.ok)
        return reply.code(400).viewAsync('account/password', { title, errors: { ...current.messages, ...errors } })
      const user = await findUserById(app.db, currentUserId(request))
      if (user === null) return renderError(reply, 404)
      // Guessing the current password here is throttled like signing in: a borrowed session must not
      // become a way round the sign-in throttle.
      const keys = { email: user.email, ip: request.ip }
      const reservation = await reserveAttempt(app.sessions.attempts, keys)
      if (!reservation.isAllowed) {
        reply.header('retry-after', String(reservation.retryAfterSeconds))
        const refusal = { form: tooManyAttemptsMessage(reservation.retryAfterSeconds) }
        return reply.code(429).viewAsync('account/password', { title, errors: refusal })
      }
      if (await verifyPassword(user.passwordHash, current.data.current_password)) {
        await clearFailures(app.sessions.attempts, keys, reservation)
      } else {
        errors.current_password = 'That is not your current password.'
      }
      if (!chosen.ok || errors.current_password) return reply.code(400).viewAsync('account/password', { title, errors })
      const now = app.clock.now()
      await changePassword(app.sessions, user.id, chosen.data.new_password, sessionRowId(request.session), {
        now,
        seenFrom: seenFrom(request),
        notice: (email) => app.mail('password-changed', email, { email, how: 'changed', when: formatDateTime(now) }),
      })
      request.session.flash = 'Your password is changed. Every other session of your account is signed out.'
      return reply.redirect('/account', 303)
    },
  )
}
