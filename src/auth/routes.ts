// Register, sign in, sign out. Rules live in users.ts, passwords.ts, throttle.ts, signup-throttle.ts and
// next-path.ts; the fields' rules in ../forms/fields.ts.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { verificationMail } from '../email-verify/routes.ts'
import { issueVerificationLink } from '../email-verify/verification.ts'
import { emailField, newPasswordField, passwordField, signInEmailField } from '../forms/fields.ts'
import { parseForm } from '../forms/parse.ts'
import { recordSecurityEvent, seenFrom } from '../shared/security-events.ts'
import { startSecondStep } from '../two-factor/sign-in-routes.ts'
import { findSignInUser } from './find-user.ts'
import { verifyPassword } from './passwords.ts'
import { completeSignIn, endCurrentSession, startSignedInSession } from './session.ts'
import { rememberBrowser } from './sign-in-record.ts'
import { reserveSignup, tooManySignupsMessage } from './signup-throttle.ts'
import { clearFailures, reserveAttempt, tooManyAttemptsMessage } from './throttle.ts'
import { createUser } from './users.ts'

const registerForm = z.object({ email: emailField, password: newPasswordField })

const signInForm = z.object({
  email: signInEmailField,
  password: passwordField,
  // A checkbox: ticked when it is sent with a value.
  remember: z
    .unknown()
    .optional()
    .transform((value) => typeof value === 'string' && value !== ''),
  // Hidden, from the query. Anything but a local path means /account (safeNextPath), so it is never refused.
  next: z
    .unknown()
    .optional()
    .transform((value) => (typeof value === 'string' ? value : '')),
})

type AuthOptions = { rememberMaxSeconds: number; signupLimitPerAddress: number; verifyTokenSeconds: number }

export async function authRoutes(app: FastifyInstance, options: AuthOptions) {
  const { rememberMaxSeconds, signupLimitPerAddress } = options
  const verifyLink = {
    validSeconds: options.verifyTokenSeconds,
    mail: verificationMail(app, options.verifyTokenSeconds),
  }

  app.get('/register', async (_request, reply) => reply.viewAsync('auth/register', { title: 'Register', values: {} }))

  app.post('/register', async (request, reply) => {
    const form = parseForm(registerForm, request.body)
    if (!form.ok) {
      const page = { title: 'Register', values: form.values, errors: form.messages }
      return reply.code(400).viewAsync('auth/register', page)
    }
    const { email, password } = form.data
    // Counted before the hash: a flood of sign-ups must not become a flood of argon2 runs.
    const signup = await reserveSignup(app.db, app.clock, 'register', request.ip, signupLimitPerAddress)
    if (!signup.isAllowed) {
      reply.header('retry-after', String(signup.retryAfterSeconds))
      const errors = { form: tooManySignupsMessage(signup.retryAfterSeconds) }
      return reply.code(429).viewAsync('auth/register', { title: 'Register', values: { email }, errors })
    }
    // The link to verify the address is queued with the account: no account without its mail. The browser
    // that registers is one the account has used, so signing in from it again sends no new-browser notice.
    const now = app.clock.now()
    const user = await createUser(app.db, email, password, async (tx, created) => {
      await issueVerificationLink(tx, created, { ...verifyLink, now })
      await tx.$executeRaw(rememberBrowser(created.id, seenFrom(request).browser, now))
    })
    if (user === null) {
      const taken = { email: 'An account with this email already exists. Sign in instead?' }
      return reply.code(409).viewAsync('auth/register', { title: 'Register', values: { email }, errors: taken })
    }
    await startSignedInSession(request, user, { isRemembered: false, rememberMaxSeconds })
    return reply.redirect('/account', 303)
  })

  app.get<{ Querystring: { next?: unknown } }>('/login', async (request, reply) => {
    const next = typeof request.query.next === 'string' ? request.query.next : ''
    return reply.viewAsync('auth/login', { title: 'Sign in', values: { next } })
  })

  app.post('/login', async (request, reply) => {
    const form = parseForm(signInForm, request.body)
    if (!form.ok) {
      // Not text (a control character, invalid UTF-8): no email or password can be that, so nothing is counted.
      const page = { title: 'Sign in', values: form.values, errors: form.messages }
      return reply.code(400).viewAsync('auth/login', page)
    }
    const { email, password, remember: isRemembered, next } = form.data
    const values = { email, next, remember: isRemembered }
    const keys = { email, ip: request.ip }

    const reservation = await reserveAttempt(app.sessions.attempts, keys)
    if (!reservation.isAllowed) {
      const error = tooManyAttemptsMessage(reservation.retryAfterSeconds)
      reply.header('retry-after', String(reservation.retryAfterSeconds))
      return reply.code(429).viewAsync('auth/login', { title: 'Sign in', values, errors: { form: error } })
    }
    const user = await findSignInUser(app.db, email)
    if (!(await verifyPassword(user?.passwordHash ?? null, password)) || user === null) {
      // The owner sees it on /account/activity. The page and status stay the same for both cases.
      if (user !== null)
        await recordSecurityEvent(app.db.prisma, user.id, 'sign-in-failed', seenFrom(request), app.clock.now())
      // One message for both cases: it must not tell which emails have accounts.
      const error = 'That email and password do not match an account.'
      return reply.code(401).viewAsync('auth/login', { title: 'Sign in', values, errors: { form: error } })
    }
    const signIn = { isRemembered, next, rememberMaxSeconds }
    // With two-factor on, a right password is not yet a sign-in: the code comes next (src/two-factor/).
    const signInOrSecondStep = () =>
      user.isTwoFactorOn
        ? startSecondStep(request, reply, user, signIn)
        : completeSignIn(request, reply, user, signIn, 'password')
    // Clearing the failures is independent of the rest, so it runs beside it.
    const [, answer] = await Promise.all([
      clearFailures(app.sessions.attempts, keys, reservation),
      signInOrSecondStep(),
    ])
    return answer
  })

  app.post('/logout', async (request, reply) => {
    await endCurrentSession(request, reply)
    return reply.redirect('/', 303)
  })
}
