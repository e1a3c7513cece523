// The second step of a sign-in with two-factor on. A right password only leaves a pending sign-in in the
// session (who, where to go next, when): no userId, so every guard still treats the visitor as a guest. The
// code, within 5 minutes, completes the sign-in. A TOTP code is accepted once, a recovery code is spent, and
// failures are counted per account by the sign-in throttle.
import type { Session } from 'fastify'
import type { User } from '../auth/users.ts'
import type { Database } from '../db/client.ts'
import { asRecoveryCode, spendRecoveryCode } from './recovery-codes.ts'
import { openSecret, type SecretKeys, sealSecret } from './secret-box.ts'
import { asTotpCode, matchingStep } from './totp.ts'

export type PendingSignIn = {
  userId: number
  /** Read with the password hash: a password change between the two steps still ends this sign-in. */
  credentialVersion: number
  isRemembered: boolean
  next: string
  startedAtMs: number
}

declare module 'fastify' {
  interface Session {
    /** A right password for an account with two-factor on, waiting for its code. Not a sign-in. */
    pendingSignIn?: PendingSignIn
  }
}

const PENDING_SIGN_IN_SECONDS = 5 * 60

/** 5 failures per account in the throttle's window (15 minutes), on the sign-in throttle's counters. */
export const secondStepThrottleKey = (userId: number) => ({ key: `two-factor:${userId}`, limit: 5 })

export function startPendingSignIn(
  session: Session,
  user: User,
  options: { isRemembered: boolean; next: string },
  now: Date,
): void {
  const { id: userId, credentialVersion } = user
  session.pendingSignIn = { userId, credentialVersion, ...options, startedAtMs: now.getTime() }
}

/** The session's pending sign-in while it lasts; an expired one is dropped (it says so: the visitor is told). */
export function pendingSignInOf(session: Session, now: Date): PendingSignIn | 'expired' | null {
  const pending = session.pendingSignIn
  if (pending === undefined) return null
  if (now.getTime() - pending.startedAtMs < PENDING_SIGN_IN_SECONDS * 1000) return pending
  session.pendingSignIn = undefined
  return 'expired'
}

export type CodeOutcome = 'totp' | 'recovery-code' | 'wrong' | 'used'

/** Checks a typed code: a TOTP code (accepted once) or an unused recovery code (spent). */
export async function checkSecondStepCode(
  db: Database,
  keys: SecretKeys,
  userId: number,
  typed: string,
  now: Date,
): Promise<CodeOutcome> {
  const totpCode = asTotpCode(typed)
  if (totpCode !== null) return acceptTotpCode(db, keys, userId, totpCode, now)
  const recoveryCode = asRecoveryCode(typed)
  if (recoveryCode !== null && (await spendRecoveryCode(db, userId, recoveryCode))) return 'recovery-code'
  return 'wrong'
}

async function acceptTotpCode(db: Database, keys: SecretKeys, userId: number, code: string, now: Date) {
  const row = await db.prisma.twoFactor.findUnique({ where: { userId } })
  const opened = row?.enabledAt != null ? openSecret(keys, userId, row.secretEncrypted) : null
  const step = opened && matchingStep(opened.secret, code, now)
  if (row === null || opened === null || step === null) return 'wrong'
  // One conditional UPDATE accepts the step: of two sign-ins racing with one code (two tabs, a relaying
  // phishing page), the second finds the step taken. A secret sealed with a retiring key is sealed anew.
  const { count } = await db.prisma.twoFactor.updateMany({
    where: { userId, enabledAt: { not: null }, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: step } }] },
    data: {
      lastUsedStep: step,
      ...(opened.isSealedWithRetiringKey ? { secretEncrypted: sealSecret(keys, userId, opened.secret) } : {}),
    },
  })
  return count === 1 ? 'totp' : 'used'
}
