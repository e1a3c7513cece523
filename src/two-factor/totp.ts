// TOTP as RFC 6238 and the authenticator apps have it: SHA-1, 6 digits, 30-second steps, a 160-bit secret
// (otpauth does the arithmetic). One step of drift either way is allowed, for a phone's clock and a slow typist.
import { Secret, TOTP } from 'otpauth'

const ISSUER = 'Cartwheel'
const PERIOD_SECONDS = 30
const DRIFT_STEPS = 1
const SECRET_BYTES = 20

/** A new random secret, in the base32 an authenticator app is given. */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32
}

function totpOf(secret: string, email: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label: email,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
  })
}

/** Six digits, as a code is typed (spaces between groups allowed). */
export function asTotpCode(typed: string): string | null {
  const code = typed.replace(/\s/g, '')
  return /^\d{6}$/.test(code) ? code : null
}

/**
 * The time step whose code `code` is, within the drift allowed around `now`, or null for a wrong code. The
 * caller accepts the step once (acceptStep): a right code is not yet an unused one.
 */
export function matchingStep(secret: string, code: string, now: Date): number | null {
  const totp = totpOf(secret, '')
  const timestamp = now.getTime()
  const delta = totp.validate({ token: code, timestamp, window: DRIFT_STEPS })
  return delta === null ? null : totp.counter({ timestamp }) + delta
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function provisioningUri(secret: string, email: string): string {
  return totpOf(secret, email).toString()
}

/**
 * The QR code of the URI as an SVG data: URI for an <img>: drawn on the server, so the page needs no script,
 * and the Content-Security-Policy's img-src allows data: images.
 */
export async function qrCodeImage(uri: string): Promise<string> {
  // Loaded when someone sets up two-factor, not by every instance at start-up.
  const { default: QRCode } = await import('qrcode')
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}
