// An account's two-factor sign-in: setting it up (a secret shown once), turning it on with a first code
// (which counts as used), new recovery codes, turning it off. The secret is kept sealed (secret-box.ts).
import type { Database } from '../db/client.ts'
import type { Mail } from '../mail/compose.ts'
import { enqueueMail } from '../mail/outbox.ts'
import { recordSecurityEvent, type SeenFrom } from '../shared/security-events.ts'
import { hashRecoveryCodes, newRecoveryCodes, storeRecoveryCodes } from './recovery-codes.ts'
import { openSecret, type SecretKeys, sealSecret } from './secret-box.ts'
import { matchingStep, newTotpSecret } from './totp.ts'

export type ChangeContext = { now: Date; seenFrom: SeenFrom }

export async function isTwoFactorOn(db: Database, userId: number): Promise<boolean> {
  const row = await db.prisma.twoFactor.findUnique({ where: { userId }, select: { enabledAt: true } })
  return row?.enabledAt != null
}

/**
 * A new secret for an account whose two-factor is off, kept until a first code turns it on; null when it is
 * on already. The WHERE keeps a set-up in another tab from replacing the secret of a factor just turned on.
 */
export async function startSetup(db: Database, keys: SecretKeys, userId: number): Promise<string | null> {
  const secret = newTotpSecret()
  const sealed = sealSecret(keys, userId, secret)
  const count = await db.prisma.$executeRaw`
    INSERT INTO "TwoFactor" ("userId", "secretEncrypted") VALUES (${userId}, ${sealed})
    ON CONFLICT ("userId") DO UPDATE SET "secretEncrypted" = EXCLUDED."secretEncrypted", "lastUsedStep" = NULL
    WHERE "TwoFactor"."enabledAt" IS NULL`
  return count === 1 ? secret : null
}

/** The secret of a set-up not yet turned on (to show its QR code again after a wrong code). */
export async function setupSecret(db: Database, keys: SecretKeys, userId: number): Promise<string | null> {
  const row = await db.prisma.twoFactor.findUnique({ where: { userId } })
  if (row === null || row.enabledAt !== null) return null
  return openSecret(keys, userId, row.secretEncrypted)?.secret ?? null
}

export type EnableResult = { outcome: 'enabled'; recoveryCodes: string[] } | { outcome: 'wrong-code' | 'not-set-up' }

/** Turns two-factor on when `code` is the set-up secret's current code; that code's step counts as used. */
export async function enableTwoFactor(
  db: Database,
  keys: SecretKeys,
  userId: number,
  code: string,
  context: ChangeContext,
): Promise<EnableResult> {
  const row = await db.prisma.twoFactor.findUnique({ where: { userId } })
  const secret = row?.enabledAt === null ? openSecret(keys, userId, row.secretEncrypted)?.secret : undefined
  if (row === null || secret === undefined) return { outcome: 'not-set-up' }
  const step = matchingStep(secret, code, context.now)
  if (step === null) return { outcome: 'wrong-code' }
  const recoveryCodes = newRecoveryCodes()
  const hashed = await hashRecoveryCodes(recoveryCodes)
  return db.prisma.$transaction(async (tx) => {
    // Only the secret this code was checked against, and only while still off.
    const { count } = await tx.twoFactor.updateMany({
      where: { userId, enabledAt: null, secretEncrypted: row.secretEncrypted },
      data: { enabledAt: context.now, lastUsedStep: step },
    })
    if (count === 0) return { outcome: 'not-set-up' } as const
    await storeRecoveryCodes(tx, userId, hashed)
    await recordSecurityEvent(tx, userId, 'two-factor-enabled', context.seenFrom, context.now)
    return { outcome: 'enabled', recoveryCodes } as const
  })
}

/** Ten new recovery codes in place of the old ones; null when two-factor is off. */
export async function replaceRecoveryCodes(
  db: Database,
  userId: number,
  context: ChangeContext,
): Promise<string[] | null> {
  const recoveryCodes = newRecoveryCodes()
  const hashed = await hashRecoveryCodes(recoveryCodes)
  return db.prisma.$transaction(async (tx) => {
    // Locks the row: a disable committing meanwhile cannot leave codes behind for a factor that is off.
    const on = await tx.$queryRaw<unknown[]>`
      SELECT 1 FROM "TwoFactor" WHERE "userId" = ${userId} AND "enabledAt" IS NOT NULL FOR UPDATE`
    if (on.length === 0) return null
    await storeRecoveryCodes(tx, userId, hashed)
    await recordSecurityEvent(tx, userId, 'recovery-codes-replaced', context.seenFrom, context.now)
    return recoveryCodes
  })
}

/** Turns two-factor off and queues the notice, in one transaction; false when it was not on. */
export async function disableTwoFactor(
  db: Database,
  userId: number,
  context: ChangeContext & { notice: Mail },
): Promise<boolean> {
  return db.prisma.$transaction(async (tx) => {
    const { count } = await tx.twoFactor.deleteMany({ where: { userId, enabledAt: { not: null } } })
    if (count === 0) return false
    await tx.recoveryCode.deleteMany({ where: { userId } })
    await recordSecurityEvent(tx, userId, 'two-factor-disabled', context.seenFrom, context.now)
    await enqueueMail(tx, context.notice)
    return true
  })
}

/**
 * Seals again with SESSION_SECRET's key every secret that only a retiring one opens (run at start-up while
 * SESSION_SECRET_PREVIOUS is set), so that dropping a retired secret loses nobody's second factor.
 */
export async function resealSecrets(db: Database, keys: SecretKeys): Promise<number> {
  if (keys.length < 2) return 0
  const rows = await db.prisma.twoFactor.findMany({ select: { userId: true, secretEncrypted: true } })
  let resealed = 0
  for (const { userId, secretEncrypted } of rows) {
    const opened = openSecret(keys, userId, secretEncrypted)
    if (!opened?.isSealedWithRetiringKey) continue
    // Only the value read: another instance starting at the same moment does the same work, not other work.
    const { count } = await db.prisma.twoFactor.updateMany({
      where: { userId, secretEncrypted },
      data: { secretEncrypted: sealSecret(keys, userId, opened.secret) },
    })
    resealed += count
  }
  return resealed
}
