// /email/verify: whether the address is verified, a new link on request, and the link itself. The rules are
// in verification.ts. `next` (where checkout sent the visitor from) is kept through the page and the link.
import type { FastifyInstance } from 'fastify'
import { currentUserId, requireUser } from '../auth/guard.ts'
import { safeNextPath } from '../auth/next-path.ts'
import { renderError } from '../plugins/errors.ts'
import { describeSeconds } from '../shared/dates.ts'
import { emailStateOf, followVerificationLink, LINKS_PER_HOUR, resendVerificationLink } from './verification.ts'

type NextQuery = { Querystring: { next?: unknown } }

/** The verification mail, as registration and the resend button send it. */
export function verificationMail(app: FastifyInstance, validSeconds: number) {
  return (to: string, path: string) =>
    app.mail('verify-email', to, { email: to, path, validFor: describeSeconds(validSeconds) })
}

/** A `next` worth keeping: a local path, else none (the page then leads to /account). */
function nextOf(value: unknown): string | undefined {
  const next = safeNextPath(value, '')
  return next === '' ? undefined : next
}

export async function emailVerifyRoutes(app: FastifyInstance, options: { linkSeconds: number }) {
  const mail = verificationMail(app, options.linkSeconds)

  app.get<NextQuery>('/email/verify', { preHandler: requireUser }, async (request, reply) => {
    const state = await emailStateOf(app.db, currentUserId(request))
    if (state === null) return renderError(reply, 404)
    const next = nextOf(request.query.next)
    return reply.viewAsync('email/verify', { title: 'Verify your email', ...state, next })
  })

  app.post<{ Body: { next?: unknown } }>(
    '/email/verify/resend',
    { preHandler: requireUser, config: { signInNext: '/email/verify' } },
    async (request, reply) => {
      const next = nextOf(request.body?.next)
      const link = { now: app.clock.now(), validSeconds: options.linkSeconds, mail, next }
      const result = await resendVerificationLink(app.db, currentUserId(request), link)
      request.session.flash =
        result.outcome === 'sent'
          ? `We sent a new link to ${result.email}.`
          : result.outcome === 'limited'
            ? `We have sent ${LINKS_PER_HOUR} links in the last hour: please use one of those, or ask again later.`
            : 'Your email address is already verified.'
      return reply.redirect(`/email/verify${next === undefined ? '' : `?next=${encodeURIComponent(next)}`}`, 303)
    },
  )

  // Anyone: the mail may be opened in another browser, and the token itself is the proof.
  app.get<{ Params: { token: string } } & NextQuery>('/email/verify/:token', async (request, reply) => {
    if (!(await followVerificationLink(app.db, request.params.token, app.clock.now()))) {
      return reply.code(400).viewAsync('email/bad-link', { title: 'This link does not work' })
    }
    request.session.flash = 'Thank you: your email address is verified.'
    return reply.redirect(safeNextPath(request.query.next), 303)
  })
}
