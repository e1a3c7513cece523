// The TOTP secret at rest: AES-256-GCM under a key derived from SESSION_SECRET (its own HKDF label, see
// ../plugins/secrets.ts). A copy of the database alone then gives no codes; with the password, a copied
// secret would be the second factor itself. The account id is bound in as associated data, so a sealed
// secret copied into another account's row does not open there.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/** The key of each session secret, SESSION_SECRET's first: it seals; every one of them opens. */
export type SecretKeys = readonly Buffer[]

const VERSION = 'v1'
const IV_BYTES = 12
const TAG_BYTES = 16

export function sealSecret(keys: SecretKeys, userId: number, secret: string): string {
  const [key] = keys
  if (key === undefined) throw new Error('no key to seal the two-factor secret with')
  const iv = randomBytes(IV_BYTES)
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(`user:${userId}`))
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final(), cipher.getAuthTag()])
  return `${VERSION}.${iv.toString('base64url')}.${sealed.toString('base64url')}`
}

/**
 * The secret, with whether a retiring key opened it (then it should be sealed again with SESSION_SECRET's);
 * null when no key opens it, which only a SESSION_SECRET retired too early or a tampered row can cause.
 */
export function openSecret(
  keys: SecretKeys,
  userId: number,
  sealed: string,
): { secret: string; isSealedWithRetiringKey: boolean } | null {
  const [version, ivText, bodyText] = sealed.split('.')
  if (version !== VERSION || ivText === undefined || bodyText === undefined) return null
  const iv = Buffer.from(ivText, 'base64url')
  const body = Buffer.from(bodyText, 'base64url')
  if (body.length <= TAG_BYTES) return null
  for (const [index, key] of keys.entries()) {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(`user:${userId}`))
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES))
      const plain = Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()])
      return { secret: plain.toString('utf8'), isSealedWithRetiringKey: index > 0 }
    } catch {
      // Not this key's: try the next one.
    }
  }
  return null
}
