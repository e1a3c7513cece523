// One key per use of the session secrets, derived with HKDF under its own label. With one key for all, a
// value signed for one use would be a valid signature for another: a CSRF token's binding part is an HMAC
// that, under a shared key, is also the signature of a `sid` cookie.
import { hkdfSync } from 'node:crypto'

export type KeyUse = 'session cookie' | 'csrf cookie' | 'csrf token' | 'two-factor secret'

/**
 * The key of `use` for each secret, in the order given: SESSION_SECRET first (it signs), then the retiring
 * ones (they only verify).
 */
export function keysFor(secrets: readonly string[], use: KeyUse): Buffer[] {
  return secrets.map((secret) => Buffer.from(hkdfSync('sha256', secret, 'cartwheel', `cartwheel ${use}`, 32)))
}
