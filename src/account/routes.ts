// The signed-in pages of an account: who you are, your sessions, your password.
import type { FastifyInstance } from 'fastify'
import { currentUserId, requireUser } from '../auth/guard.ts'
import { passwordProblem, verifyPassword } from '../auth/passwords.ts'
import { endCurrentSession } from '../auth/session.ts'
import { clearFailures, reserveAttempt, tooManyAttemptsMessage } from '../auth/throttle.ts'
import { changePassword, findUserById } from '../auth/users.ts'
import type { SessionLifetimes } from '../config.ts'
import { confirmationGuard } from '../confirm/confirm.ts'
import { renderError } from '../plugins/errors.ts'
import { endOtherSessions, endSession, findOwnSessionId, listSessions } from './sessions.ts'

type PasswordBody = { current_password?: unknown; new_password?: unknown }

const text = (value: unknown) => (typeof value === 'string' ? value : '')

export async function accountRoutes(
  app: FastifyInstance,
  options: { lifetimes: SessionLifetimes; confirmSeconds: number },
) {
  // Every route in this module is for signed-in users only.
  app.addHook('preHandler', requireUser)
  // The changes a borrowed session must not make without the password again (see confirm/confirm.ts).
  const requireConfirmed = confirmationGuard(options.confirmSeconds)

  app.get('/account', async (_request, reply) => reply.viewAsync('account/index', { title: 'Your account' }))

  app.get('/account/sessions', async (request, reply) => {
    const userId = currentUserId(request)
    const sessions = await listSessions(app.db, userId, request.session.sessionId, app.clock.now(), options.lifetimes)
    return reply.viewAsync('account/sessions', { title: 'Your sessions', sessions })
  })

  app.post<{ Params: { id: string } }>(
    '/account/sessions/:id/delete',
    { config: { signInNext: '/account/sessions' } },
    async (request, reply) => {
      const sessionId = await findOwnSessionId(app.db, currentUserId(request), request.params.id)
      if (sessionId === null) return renderError(reply, 404)
      if (sessionId === request.session.sessionId) {
        // Ending the current session is signing out.
        await endCurrentSession(request, reply)
        return reply.redirect('/', 303)
      }
      await endSession(app.db, sessionId)
      request.session.flash = 'That session is signed out.'
      return reply.redirect('/account/sessions', 303)
    },
  )

  app.post(
    '/account/sessions/others/delete',
    { preHandler: requireConfirmed, config: { signInNext: '/account/sessions' } },
    async (request, reply) => {
      const count = await endOtherSessions(app.db, currentUserId(request), request.session.sessionId)
      request.session.flash = `Signed out ${count} other session${count === 1 ? '' : 's'}.`
      return reply.redirect('/account/sessions', 303)
    },
  )

  app.get('/account/password', { preHandler: requireConfirmed }, async (_request, reply) => {
    return reply.viewAsync('account/password', { title: 'Change password' })
  })

  app.post<{ Body: PasswordBody }>(
    '/account/password',
    { preHandler: requireConfirmed, config: { signInNext: '/account/password' } },
    async (request, reply) => {
      const userId = currentUserId(request)
      const currentPassword = text(request.body.current_password)
      const newPassword = text(request.body.new_password)
      const user = await findUserById(app.db, userId)
      if (user === null) return renderError(reply, 404)
      // Guessing the current password here is throttled like signing in: a borrowed session must not
      // become a way round the sign-in throttle.
      const keys = { email: user.email, ip: request.ip }
      const reservation = await reserveAttempt(app.db, app.clock, keys)
      if (!reservation.isAllowed) {
        reply.header('retry-after', String(reservation.retryAfterSeconds))
        const errors = { form: tooManyAttemptsMessage(reservation.retryAfterSeconds) }
        return reply.code(429).viewAsync('account/password', { title: 'Change password', errors })
      }
      const isCurrentRight = await verifyPassword(user.passwordHash, currentPassword)
      if (isCurrentRight) await clearFailures(app.db, keys, reservation)
      const errors = {
        current_password: isCurrentRight ? null : 'That is not your current password.',
        new_password: passwordProblem(newPassword),
      }
      if (errors.current_password || errors.new_password) {
        return reply.code(400).viewAsync('account/password', { title: 'Change password', errors })
      }
      await changePassword(app.db, userId, newPassword, request.session.sessionId)
      request.session.flash = 'Your password is changed. Every other session of your account is signed out.'
      return reply.redirect('/account', 303)
    },
  )
}
