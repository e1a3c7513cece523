// Forgot password and the mailed link: /password/forgot and /password/reset/:token. The rules are in
// password-reset.ts; the per-address counter in signup-throttle.ts.
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { emailField, newPasswordField } from '../forms/fields.ts'
import { parseForm } from '../forms/parse.ts'
import { describeSeconds, formatDateTime } from '../shared/dates.ts'
import { seenFrom } from '../shared/security-events.ts'
import { isResetLinkUsable, requestPasswordReset, resetPassword } from './password-reset.ts'
import { reserveSignup, tooManySignupsMessage } from './signup-throttle.ts'

const forgotForm = z.object({ email: emailField })
const resetForm = z.object({ new_password: newPasswordField })

const FORGOT_TITLE = 'Forgot your password?'
const RESET_TITLE = 'Choose a new password'

type ResetOptions = { resetTokenSeconds: number; signupLimitPerAddress: number }

type TokenParams = { Params: { token: string } }

export async function resetRoutes(app: FastifyInstance, options: ResetOptions) {
  const validFor = describeSeconds(options.resetTokenSeconds)

  // The link's token is in these pages' address: no cache keeps them, not even the browser's.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('cache-control', 'no-store')
  })

  app.get('/password/forgot', async (_request, reply) =>
    reply.viewAsync('auth/forgot', { title: FORGOT_TITLE, values: {} }),
  )

  app.post('/password/forgot', async (request, reply) => {
    const form = parseForm(forgotForm, request.body)
    if (!form.ok)
      return reply.code(400).viewAsync('auth/forgot', { title: FORGOT_TITLE, ...form, errors: form.messages })
    const { email } = form.data
    // Each request costs a mail to someone: counted per client address, apart from registrations.
    const counted = await reserveSignup(app.db, app.clock, 'forgot', request.ip, options.signupLimitPerAddress)
    if (!counted.isAllowed) {
      reply.header('retry-after', String(counted.retryAfterSeconds))
      const errors = { form: tooManySignupsMessage(counted.retryAfterSeconds) }
      return reply.code(429).viewAsync('auth/forgot', { title: FORGOT_TITLE, values: { email }, errors })
    }
    await requestPasswordReset(app.db, {
      email,
      now: app.clock.now(),
      validSeconds: options.resetTokenSeconds,
      link: (path) => app.mail('password-reset', email, { email, path, validFor }),
    })
    // The same page whether or not the email has an account, and whether or not its hourly links are used up.
    return reply.viewAsync('auth/forgot-sent', { title: 'Check your email', email, validFor })
  })

  app.get<TokenParams>('/password/reset/:token', async (request, reply) => {
    if (!(await isResetLinkUsable(app.db, request.params.token, app.clock.now()))) return badLink(reply)
    return reply.viewAsync('auth/reset', { title: RESET_TITLE, action: `/password/reset/${request.params.token}` })
  })

  app.post<TokenParams>('/password/reset/:token', async (request, reply) => {
    const { token } = request.params
    // The link first: a dead link says so whatever was typed, and costs no hash.
    if (!(await isResetLinkUsable(app.db, token, app.clock.now()))) return badLink(reply)
    const form = parseForm(resetForm, request.body)
    if (!form.ok) {
      const page = { title: RESET_TITLE, action: `/password/reset/${token}`, errors: form.messages }
      return reply.code(400).viewAsync('auth/reset', page)
    }
    const now = app.clock.now()
    const userId = await resetPassword(app.sessions, token, form.data.new_password, {
      now,
      seenFrom: seenFrom(request),
      notice: (email) => app.mail('password-changed', email, { email, how: 'reset', when: formatDateTime(now) }),
    })
    // Used or replaced between the check and now (a second tab, a newer link).
    if (userId === null) return badLink(reply)
    // Reset from a browser signed in to that account: its session has just ended with the others, so the
    // message goes in a fresh one (a guest's session, with its cart, is kept).
    if (request.session.userId === userId) await request.session.regenerate()
    request.session.flash = 'Your password is set. Sign in with your new password.'
    return reply.redirect('/login', 303)
  })
}

function badLink(reply: FastifyReply) {
  return reply.code(400).viewAsync('auth/reset-link', { title: 'This link does not work' })
}
