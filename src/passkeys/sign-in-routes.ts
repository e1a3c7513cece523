// Proving it's you with a passkey: signing in (anyone; a discoverable credential, so no email is asked) and
// confirming it's you before a guarded change (the signed-in account's own passkeys only). Each is two JSON
// POSTs from public/js/passkeys.js: options with a challenge, then the browser's signed answer.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { findUserById } from '../auth/find-user.ts'
import { currentUserId, requireUser } from '../auth/guard.ts'
import { safeNextPath } from '../auth/next-path.ts'
import { startSignedInSession } from '../auth/session.ts'
import { recordSignIn } from '../auth/sign-in-record.ts'
import { markConfirmed } from '../confirm/confirm.ts'
import { parseAuthenticationAnswer } from './answer.ts'
import { authenticationOptions, type RelyingParty, verifyAuthentication } from './ceremony.ts'
import { findCredential, listCredentialIds, recordPasskeyUse } from './passkeys.ts'

const NOT_SIGNED_IN = 'That passkey did not sign you in. Please try again, or use your password.'
const NOT_CONFIRMED = 'That passkey could not confirm it’s you. Please try again, or enter your password.'

export async function passkeySignInRoutes(
  app: FastifyInstance,
  options: { rp: RelyingParty; rememberMaxSeconds: number },
) {
  const { rp } = options

  /** The passkey the answer proves, with its new counter recorded; null when it proves none. */
  async function provenCredential(request: FastifyRequest, purpose: 'sign-in' | 'confirm') {
    const answer = parseAuthenticationAnswer(request.body)
    const now = app.clock.now()
    const credential = answer && (await findCredential(app.db, answer.credential.id))
    const counter =
      answer && (await verifyAuthentication(rp, request.session, purpose, answer.credential, credential, now))
    if (answer === null || credential === null || counter === null) {
      request.session.passkeyChallenge = undefined
      return null
    }
    await recordPasskeyUse(app.db, credential.passkeyId, counter, now)
    return { userId: credential.userId, next: safeNextPath(answer.next) }
  }

  app.post('/login/passkey/options', async (request) => {
    // The challenge starts a guest's session; the sign-in page's token must still be good for the answer.
    app.csrf.carryGuestBinding(request)
    return authenticationOptions(rp, request.session, 'sign-in', [], app.clock.now())
  })

  app.post('/login/passkey', async (request, reply) => {
    const proven = await provenCredential(request, 'sign-in')
    const user = proven && (await findUserById(app.db, proven.userId))
    if (!proven || user === null) return reply.code(401).send({ error: NOT_SIGNED_IN })
    // A passkey is a factor of its own (something you have, unlocked by something you know or are), so a
    // sign-in with one asks for no TOTP code even when two-factor is on.
    await startSignedInSession(request, user, { isRemembered: false, rememberMaxSeconds: options.rememberMaxSeconds })
    await recordSignIn(request, user, 'passkey')
    return { redirect: proven.next }
  })

  app.post(
    '/account/confirm/passkey/options',
    { preHandler: requireUser, config: { signInNext: '/account/confirm' } },
    async (request) => {
      const own = await listCredentialIds(app.db, currentUserId(request))
      return authenticationOptions(rp, request.session, 'confirm', own, app.clock.now())
    },
  )

  app.post(
    '/account/confirm/passkey',
    { preHandler: requireUser, config: { signInNext: '/account/confirm' } },
    async (request, reply) => {
      const proven = await provenCredential(request, 'confirm')
      // Only a passkey of the signed-in account confirms it's them.
      if (!proven || proven.userId !== currentUserId(request)) return reply.code(401).send({ error: NOT_CONFIRMED })
      markConfirmed(request.session, app.clock.now())
      return { redirect: proven.next }
    },
  )
}
