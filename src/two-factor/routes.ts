// /account/two-factor: whether it is on, setting it up, turning it on and off, new recovery codes. Every change
// needs a fresh confirmation (confirm/confirm.ts). The setup, enable and recovery-code POSTs answer 200 with
// their page: a secret or codes shown once must not sit behind a redirect.
import type { FastifyInstance, FastifyReply } from 'fastify'
import { z } from 'zod'
import { findUserById } from '../auth/find-user.ts'
import { currentUserId, requireUser } from '../auth/guard.ts'
import { confirmationGuard } from '../confirm/confirm.ts'
import { parseForm, textField } from '../forms/parse.ts'
import { renderError } from '../plugins/errors.ts'
import { formatDateTime } from '../shared/dates.ts'
import { seenFrom } from '../shared/security-events.ts'
import { countRecoveryCodes } from './recovery-codes.ts'
import type { SecretKeys } from './secret-box.ts'
import { asTotpCode, provisioningUri, qrCodeImage } from './totp.ts'
import {
  disableTwoFactor,
  enableTwoFactor,
  isTwoFactorOn,
  replaceRecoveryCodes,
  setupSecret,
  startSetup,
} from './two-factor.ts'

const codeForm = z.object({ code: textField('Enter the 6-digit code from your app.', 'A code is 6 digits.') })

const WRONG_CODE = 'That code is not right. Enter the 6-digit code your app shows now.'

export async function twoFactorRoutes(app: FastifyInstance, options: { keys: SecretKeys; confirmSeconds: number }) {
  const { keys } = options
  app.addHook('preHandler', requireUser)
  // Adding or removing a way to sign in is a change a borrowed session must not make.
  const requireConfirmed = confirmationGuard(options.confirmSeconds)
  const guarded = { preHandler: requireConfirmed, config: { signInNext: '/account/two-factor' } }

  /** The set-up page: the QR code, the secret as text, and the form for the first code. */
  async function setupPage(reply: FastifyReply, secret: string, email: string, status = 200, error?: string) {
    const uri = provisioningUri(secret, email)
    const page = {
      title: 'Set up two-factor sign-in',
      secret,
      uri,
      qrCode: await qrCodeImage(uri),
      errors: { code: error },
    }
    return reply.code(status).viewAsync('account/two-factor-setup', page)
  }

  const codesPage = (reply: FastifyReply, recoveryCodes: string[], isNew: boolean) =>
    reply.viewAsync('account/two-factor-codes', { title: 'Your recovery codes', recoveryCodes, isNew })

  app.get('/account/two-factor', async (request, reply) => {
    const userId = currentUserId(request)
    const [isOn, recoveryCodesLeft] = await Promise.all([
      isTwoFactorOn(app.db, userId),
      countRecoveryCodes(app.db, userId),
    ])
    return reply.viewAsync('account/two-factor', { title: 'Two-factor sign-in', isOn, recoveryCodesLeft })
  })

  app.post('/account/two-factor/setup', guarded, async (request, reply) => {
    const user = await findUserById(app.db, currentUserId(request))
    if (user === null) return renderError(reply, 404)
    const secret = await startSetup(app.db, keys, user.id)
    if (secret === null) {
      request.session.flash = 'Two-factor sign-in is already on.'
      return reply.redirect('/account/two-factor', 303)
    }
    return setupPage(reply, secret, user.email)
  })

  app.post('/account/two-factor/enable', guarded, async (request, reply) => {
    const user = await findUserById(app.db, currentUserId(request))
    if (user === null) return renderError(reply, 404)
    const form = parseForm(codeForm, request.body)
    const code = form.ok ? asTotpCode(form.data.code) : null
    const context = { now: app.clock.now(), seenFrom: seenFrom(request) }
    const result =
      code === null ? { outcome: 'wrong-code' as const } : await enableTwoFactor(app.db, keys, user.id, code, context)
    if (result.outcome === 'enabled') return codesPage(reply, result.recoveryCodes, false)
    const secret = await setupSecret(app.db, keys, user.id)
    // Turned on meanwhile (another tab), or never set up: the two-factor page says where things stand.
    if (result.outcome === 'not-set-up' || secret === null) return reply.redirect('/account/two-factor', 303)
    return setupPage(reply, secret, user.email, 400, form.ok ? WRONG_CODE : form.messages.code)
  })

  app.post('/account/two-factor/recovery-codes', guarded, async (request, reply) => {
    const context = { now: app.clock.now(), seenFrom: seenFrom(request) }
    const recoveryCodes = await replaceRecoveryCodes(app.db, currentUserId(request), context)
    if (recoveryCodes === null) return reply.redirect('/account/two-factor', 303)
    return codesPage(reply, recoveryCodes, true)
  })

  app.post('/account/two-factor/disable', guarded, async (request, reply) => {
    const user = await findUserById(app.db, currentUserId(request))
    if (user === null) return renderError(reply, 404)
    const now = app.clock.now()
    const notice = app.mail('two-factor-off', user.email, { email: user.email, when: formatDateTime(now) })
    if (await disableTwoFactor(app.db, user.id, { now, seenFrom: seenFrom(request), notice })) {
      request.session.flash = 'Two-factor sign-in is off. Signing in needs only your password now.'
    }
    return reply.redirect('/account/two-factor', 303)
  })
}
