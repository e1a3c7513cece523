// The tokens that links in mail carry (an email change, a verification): 256 random bits, and only their
// SHA-256 stored, so a copy of the EmailToken table opens nothing.
import { createHash, randomBytes } from 'node:crypto'

// base64url of 32 random bytes: what a link carries. Anything else is no token of ours and is not looked up.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

export function isTokenShaped(token: string): boolean {
  return TOKEN_SHAPE.test(token)
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** A fresh token for a link, with the hash to store. */
export function newToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url')
  return { token, tokenHash: hashToken(token) }
}
