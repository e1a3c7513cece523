// /account/passkeys: the account's passkeys, adding one (a WebAuthn registration in two JSON POSTs from
// public/js/passkeys.js) and removing one. The ceremonies are in ceremony.ts, the rows in passkeys.ts.
import type { FastifyInstance } from 'fastify'
import { describeBrowser } from '../account/sessions.ts'
import { findUserById } from '../auth/find-user.ts'
import { currentUserId, requireUser } from '../auth/guard.ts'
import { confirmationGuard } from '../confirm/confirm.ts'
import { renderError } from '../plugins/errors.ts'
import { formatDateTime } from '../shared/dates.ts'
import { parseId } from '../shared/ids.ts'
import { seenFrom } from '../shared/security-events.ts'
import { parseRegistrationAnswer } from './answer.ts'
import { type RelyingParty, registrationOptions, verifyRegistration } from './ceremony.ts'
import { addPasskey, listCredentialIds, listPasskeys, removePasskey } from './passkeys.ts'

const NOT_ADDED = 'That passkey could not be added. Please try again.'

export async function passkeyRoutes(app: FastifyInstance, options: { rp: RelyingParty; confirmSeconds: number }) {
  const { rp } = options
  app.addHook('preHandler', requireUser)
  // Adding or removing a way to sign in is a change a borrowed session must not make (see confirm/confirm.ts).
  const requireConfirmed = confirmationGuard(options.confirmSeconds)
  const guarded = { preHandler: requireConfirmed, config: { signInNext: '/account/passkeys' } }

  app.get('/account/passkeys', async (request, reply) => {
    const passkeys = await listPasskeys(app.db, currentUserId(request))
    return reply.viewAsync('account/passkeys', { title: 'Your passkeys', passkeys })
  })

  app.post('/account/passkeys/options', guarded, async (request, reply) => {
    const user = await findUserById(app.db, currentUserId(request))
    if (user === null) return renderError(reply, 404)
    const existing = await listCredentialIds(app.db, user.id)
    return registrationOptions(rp, request.session, user, existing, app.clock.now())
  })

  app.post('/account/passkeys', guarded, async (request, reply) => {
    const answer = parseRegistrationAnswer(request.body)
    const now = app.clock.now()
    const passkey = answer && (await verifyRegistration(rp, request.session, answer.credential, now))
    if (!passkey) return reply.code(400).send({ error: NOT_ADDED })
    const user = await findUserById(app.db, currentUserId(request))
    if (user === null) return renderError(reply, 404)
    const name = describeBrowser(request.headers['user-agent'] ?? '')
    const added = await addPasskey(
      app.db,
      user.id,
      { ...passkey, name },
      {
        now,
        seenFrom: seenFrom(request),
        notice: (name) => app.mail('passkey-added', user.email, { name, email: user.email, when: formatDateTime(now) }),
      },
    )
    if (added === null) return reply.code(409).send({ error: 'That passkey is already registered.' })
    request.session.flash = `Passkey added: ${added.name}.`
    return reply.code(201).send({ passkey: { id: added.id, name: added.name }, redirect: '/account/passkeys' })
  })

  app.post<{ Params: { id: string } }>('/account/passkeys/:id/delete', guarded, async (request, reply) => {
    const id = parseId(request.params.id)
    const context = { now: app.clock.now(), seenFrom: seenFrom(request) }
    // Another account's passkey is simply not there for this one: 404.
    const isRemoved = id !== null && (await removePasskey(app.db, currentUserId(request), id, context))
    if (!isRemoved) return renderError(reply, 404)
    request.session.flash = 'The passkey is removed. It no longer signs in to your account.'
    return reply.redirect('/account/passkeys', 303)
  })
}
