// The WebAuthn ceremonies, through @simplewebauthn/server. A challenge is kept in the session (never trusted
// from the page), is good for one answer of its own kind only, and for CHALLENGE_SECONDS: a replayed or
// late answer proves nothing.
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import type { Session } from 'fastify'
import type { NewPasskey, StoredCredential } from './passkeys.ts'

declare module 'fastify' {
  interface Session {
    /** The challenge of the ceremony under way in this session, if any. */
    passkeyChallenge?: { purpose: CeremonyPurpose; challenge: string; expiresAtMs: number }
  }
}

export type CeremonyPurpose = 'register' | 'sign-in' | 'confirm'

const CHALLENGE_SECONDS = 300

// Loaded at the first ceremony: @simplewebauthn/server and its ASN.1 and CBOR parsers hold some 10 MiB that a
// shop whose visitors never use a passkey would carry for nothing.
const webauthn = () => import('@simplewebauthn/server')

/** Where the shop is: PUBLIC_URL is the origin a browser must be on, and its host the relying party. */
export type RelyingParty = { origin: string; id: string; name: string }

export function relyingPartyOf(publicUrl: string): RelyingParty {
  return { origin: publicUrl, id: new URL(publicUrl).hostname, name: 'Cartwheel' }
}

function keepChallenge(session: Session, purpose: CeremonyPurpose, challenge: string, now: Date) {
  session.passkeyChallenge = { purpose, challenge, expiresAtMs: now.getTime() + CHALLENGE_SECONDS * 1000 }
}

/** The session's challenge for `purpose`, taken out of it: whatever the answer, it is not used again. */
function takeChallenge(session: Session, purpose: CeremonyPurpose, now: Date): string | null {
  const kept = session.passkeyChallenge
  session.passkeyChallenge = undefined
  if (kept === undefined || kept.purpose !== purpose || kept.expiresAtMs <= now.getTime()) return null
  return kept.challenge
}

export async function registrationOptions(
  rp: RelyingParty,
  session: Session,
  user: { id: number; email: string },
  existing: { id: string; transports: string[] }[],
  now: Date,
) {
  const options = await (await webauthn()).generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    // Stable per account, so registering again on one authenticator replaces its passkey for this account.
    userID: new TextEncoder().encode(`user:${user.id}`),
    excludeCredentials: existing,
    // A discoverable credential, so signing in needs no email; verified (a PIN or biometric), as sign-in is.
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  })
  keepChallenge(session, 'register', options.challenge, now)
  return options
}

/** The new passkey when the browser's answer proves it, else null. */
export async function verifyRegistration(
  rp: RelyingParty,
  session: Session,
  response: RegistrationResponseJSON,
  now: Date,
): Promise<NewPasskey | null> {
  const challenge = takeChallenge(session, 'register', now)
  if (challenge === null) return null
  const verification = await (await webauthn())
    .verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    })
    .catch(() => null)
  if (verification === null || !verification.verified) return null
  const { credential } = verification.registrationInfo
  return {
    credentialId: credential.id,
    publicKey: credential.publicKey,
    counter: credential.counter,
    transports: credential.transports ?? [],
  }
}

/** Options for proving it is the owner of a passkey; `allowed` limits them to an account's (empty: any). */
export async function authenticationOptions(
  rp: RelyingParty,
  session: Session,
  purpose: 'sign-in' | 'confirm',
  allowed: { id: string; transports: string[] }[],
  now: Date,
) {
  const options = await (await webauthn()).generateAuthenticationOptions({
    rpID: rp.id,
    allowCredentials: allowed,
    userVerification: 'required',
  })
  keepChallenge(session, purpose, options.challenge, now)
  return options
}

/** The signature counter the authenticator reports when the answer proves `credential` (null: unknown), else null. */
export async function verifyAuthentication(
  rp: RelyingParty,
  session: Session,
  purpose: 'sign-in' | 'confirm',
  response: AuthenticationResponseJSON,
  credential: StoredCredential | null,
  now: Date,
): Promise<number | null> {
  const challenge = takeChallenge(session, purpose, now)
  if (challenge === null || credential === null) return null
  const verification = await (await webauthn())
    .verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential,
      requireUserVerification: true,
    })
    .catch(() => null)
  if (verification === null || !verification.verified) return null
  return verification.authenticationInfo.newCounter
}
