// /account/email: asking for a new address (signed in, confirmed), and the link mailed to it, which makes the
// change. The rules are in email-change.ts.
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { findUserById } from '../auth/find-user.ts'
import { currentUserId, requireUser } from '../auth/guard.ts'
import { confirmationGuard } from '../confirm/confirm.ts'
import { emailField } from '../forms/fields.ts'
import { parseForm } from '../forms/parse.ts'
import { renderError } from '../plugins/errors.ts'
import { describeSeconds } from '../shared/dates.ts'
import { seenFrom } from '../shared/security-events.ts'
import { applyEmailChange, requestEmailChange } from './email-change.ts'

const emailForm = z.object({ new_email: emailField })

const TITLE = 'Change your email'

export async function emailRoutes(app: FastifyInstance, options: { confirmSeconds: number; linkSeconds: number }) {
  const guarded = {
    preHandler: [requireUser, confirmationGuard(options.confirmSeconds)],
    config: { signInNext: '/account/email' },
  }

  app.get('/account/email', guarded, async (_request, reply) => {
    return reply.viewAsync('account/email', { title: TITLE, values: {} })
  })

  app.post('/account/email', guarded, async (request, reply) => {
    const form = parseForm(emailForm, request.body)
    if (!form.ok) return reply.code(400).viewAsync('account/email', { title: TITLE, ...form, errors: form.messages })
    const newEmail = form.data.new_email
    const user = await findUserById(app.db, currentUserId(request))
    if (user === null) return renderError(reply, 404)
    const outcome = await requestEmailChange(app.db, user, newEmail, app.clock.now(), options.linkSeconds, {
      link: (path) =>
        app.mail('email-change', newEmail, { newEmail, path, validFor: describeSeconds(options.linkSeconds) }),
      asked: app.mail('email-changed', user.email, { stage: 'asked', oldEmail: user.email, newEmail }),
    })
    if (outcome !== 'sent') {
      const message = outcome === 'same' ? 'That is already your email address.' : 'Another account uses that address.'
      const page = { title: TITLE, values: { new_email: newEmail }, errors: { new_email: message } }
      return reply.code(outcome === 'same' ? 400 : 409).viewAsync('account/email', page)
    }
    request.session.flash = `We sent a link to ${newEmail}. Your email changes once you follow it.`
    return reply.redirect('/account/email', 303)
  })

  // The link works in any browser (the mail may be opened elsewhere): the token itself is the proof.
  app.get<{ Params: { token: string } }>('/account/email/:token', async (request, reply) => {
    const result = await applyEmailChange(app.db, request.params.token, app.clock.now(), {
      seenFrom: seenFrom(request),
      done: (oldEmail, newEmail) => app.mail('email-changed', oldEmail, { stage: 'done', oldEmail, newEmail }),
    })
    if (result.outcome !== 'changed') {
      return reply.code(result.outcome === 'taken' ? 409 : 400).viewAsync('account/email-link', {
        title: 'This link does not work',
        isTaken: result.outcome === 'taken',
      })
    }
    request.session.flash = `Your email is now ${result.newEmail}.`
    return reply.redirect('/account', 303)
  })
}
