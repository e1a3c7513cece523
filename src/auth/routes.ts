// Register, sign in, sign out. Rules live in users.ts, passwords.ts, throttle.ts and next-path.ts.
import type { FastifyInstance } from 'fastify'
import { safeNextPath } from './next-path.ts'
import { passwordProblem, verifyPassword } from './passwords.ts'
import { endCurrentSession, startSignedInSession } from './session.ts'
import { clearFailures, reserveAttempt, tooManyAttemptsMessage } from './throttle.ts'
import { createUser, emailProblem, findUserByEmail, normalizeEmail } from './users.ts'

type CredentialsBody = { email?: unknown; password?: unknown; remember?: unknown; next?: unknown }

const text = (value: unknown) => (typeof value === 'string' ? value : '')

export async function authRoutes(app: FastifyInstance, options: { rememberMaxSeconds: number }) {
  const { rememberMaxSeconds } = options

  app.get('/register', async (_request, reply) => reply.viewAsync('auth/register', { title: 'Register', values: {} }))

  app.post<{ Body: CredentialsBody }>('/register', async (request, reply) => {
    const email = normalizeEmail(text(request.body.email))
    const password = text(request.body.password)
    const errors = { email: emailProblem(email), password: passwordProblem(password) }
    if (errors.email || errors.password) {
      return reply.code(400).viewAsync('auth/register', { title: 'Register', values: { email }, errors })
    }
    const user = await createUser(app.db, email, password)
    if (user === null) {
      const taken = { email: 'An account with this email already exists. Sign in instead?' }
      return reply.code(409).viewAsync('auth/register', { title: 'Register', values: { email }, errors: taken })
    }
    await startSignedInSession(request, user, { isRemembered: false, rememberMaxSeconds })
    return reply.redirect('/account', 303)
  })

  app.get<{ Querystring: { next?: string } }>('/login', async (request, reply) => {
    return reply.viewAsync('auth/login', { title: 'Sign in', values: { next: text(request.query.next) } })
  })

  app.post<{ Body: CredentialsBody }>('/login', async (request, reply) => {
    const email = normalizeEmail(text(request.body.email))
    const password = text(request.body.password)
    const isRemembered = text(request.body.remember) !== ''
    const values = { email, next: text(request.body.next), remember: isRemembered }
    const keys = { email, ip: request.ip }

    const reservation = await reserveAttempt(app.db, app.clock, keys)
    if (!reservation.isAllowed) {
      const error = tooManyAttemptsMessage(reservation.retryAfterSeconds)
      reply.header('retry-after', String(reservation.retryAfterSeconds))
      return reply.code(429).viewAsync('auth/login', { title: 'Sign in', values, errors: { form: error } })
    }
    const user = await findUserByEmail(app.db, email)
    if (!(await verifyPassword(user?.passwordHash ?? null, password)) || user === null) {
      // One message for both cases: it must not tell which emails have accounts.
      const error = 'That email and password do not match an account.'
      return reply.code(401).viewAsync('auth/login', { title: 'Sign in', values, errors: { form: error } })
    }
    // Independent of each other, so in the same round trip.
    await Promise.all([
      clearFailures(app.db, keys, reservation),
      startSignedInSession(request, user, { isRemembered, rememberMaxSeconds }),
    ])
    return reply.redirect(safeNextPath(request.body.next), 303)
  })

  app.post('/logout', async (request, reply) => {
    await endCurrentSession(request, reply)
    return reply.redirect('/', 303)
  })
}
