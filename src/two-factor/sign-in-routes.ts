// GET and POST /login/two-factor: the second step of a sign-in with two-factor on. The rules are in
// second-step.ts; the sign-in is completed by the same code as a sign-in without it (completeSignIn).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { findUserById } from '../auth/find-user.ts'
import { completeSignIn, type SignInOptions } from '../auth/session.ts'
import { tooManyAttemptsMessage } from '../auth/throttle.ts'
import type { User } from '../auth/users.ts'
import { parseForm, textField } from '../forms/parse.ts'
import { recordSecurityEvent, seenFrom } from '../shared/security-events.ts'
import { checkSecondStepCode, pendingSignInOf, secondStepThrottleKey, startPendingSignIn } from './second-step.ts'
import type { SecretKeys } from './secret-box.ts'

const codeForm = z.object({ code: textField('Enter the code from your app.', 'A code is letters and digits.') })

const TITLE = 'Two-factor sign-in'
const EXPIRED = 'That sign-in took more than 5 minutes. Please enter your password again.'
const WRONG = 'That code is not right. Enter the 6-digit code from your app, or one of your recovery codes.'
const USED = 'That code was already used. Wait for the next code in your app.'

/** After a right password with two-factor on: the sign-in waits for its code, and the visitor is sent to enter it. */
export function startSecondStep(request: FastifyRequest, reply: FastifyReply, user: User, signIn: SignInOptions) {
  const { isRemembered, next } = signIn
  startPendingSignIn(request.session, user, { isRemembered, next }, request.server.clock.now())
  return reply.redirect('/login/two-factor', 303)
}

export async function twoFactorSignInRoutes(
  app: FastifyInstance,
  options: { keys: SecretKeys; rememberMaxSeconds: number },
) {
  app.get('/login/two-factor', async (request, reply) => {
    const pending = pendingSignInOf(request.session, app.clock.now())
    if (pending === 'expired') request.session.flash = EXPIRED
    if (pending === null || pending === 'expired') return reply.redirect('/login', 303)
    return reply.viewAsync('auth/two-factor', { title: TITLE })
  })

  app.post('/login/two-factor', async (request, reply) => {
    const page = (status: number, errors: Record<string, string>) =>
      reply.code(status).viewAsync('auth/two-factor', { title: TITLE, errors })
    const now = app.clock.now()
    const pending = pendingSignInOf(request.session, now)
    // No pending sign-in (it expired, or there never was one): the page says to start again, and offers no form.
    if (pending === null || pending === 'expired') {
      return reply.code(401).viewAsync('auth/two-factor', { title: TITLE, hasExpired: true, errors: { form: EXPIRED } })
    }
    const form = parseForm(codeForm, request.body)
    if (!form.ok) return page(400, form.messages)
    // Counted before the code is checked, as the password is: parallel guesses cannot pass the limit together.
    const throttleKey = secondStepThrottleKey(pending.userId)
    const reservation = await app.sessions.attempts.reserve([throttleKey])
    if (!reservation.isAllowed) {
      reply.header('retry-after', String(reservation.retryAfterSeconds))
      return page(429, { form: tooManyAttemptsMessage(reservation.retryAfterSeconds) })
    }
    const user = await findUserById(app.db, pending.userId)
    const outcome = user && (await checkSecondStepCode(app.db, options.keys, user.id, form.data.code, now))
    if (user === null || outcome === null) return page(401, { code: WRONG })
    if (outcome === 'wrong') {
      // The password was right: the owner must hear of it (on /account/activity).
      await recordSecurityEvent(app.db.prisma, user.id, 'sign-in-failed-code', seenFrom(request), now)
      return page(401, { code: WRONG })
    }
    if (outcome === 'used') return page(401, { code: USED })
    await app.sessions.attempts.clear([throttleKey.key], reservation)
    if (outcome === 'recovery-code') {
      await recordSecurityEvent(app.db.prisma, user.id, 'recovery-code-used', seenFrom(request), now)
    }
    const { isRemembered, next, credentialVersion } = pending
    request.session.pendingSignIn = undefined
    const signIn = { isRemembered, next, rememberMaxSeconds: options.rememberMaxSeconds }
    // The version read with the password hash, not now: a password change since then ends this sign-in too.
    return completeSignIn(request, reply, { ...user, credentialVersion }, signIn, 'two-factor')
  })
}
