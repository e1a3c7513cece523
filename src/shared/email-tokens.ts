// The tokens that links in mail carry (a password reset, an email change, a verification): 256 random bits,
// base64url in the link, only their SHA-256 in the database, so a copy of the table opens nothing. A token
// works once, until it expires, and a newer one of the same purpose makes the account's older ones void.
import { createHash, randomBytes } from 'node:crypto'
import type { Prisma } from '../generated/prisma/client.ts'

export type TokenPurpose = 'reset' | 'verify' | 'email-change'

// base64url of 32 random bytes: what a link carries. Anything else is no token of ours and is not looked up.
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

type Writer = Pick<Prisma.TransactionClient, 'emailToken' | '$queryRaw'>

export type NewToken = { userId: number; purpose: TokenPurpose; validSeconds: number; newEmail?: string }

/** Stores a new token for the account (its older ones of the purpose stop working) and returns it. */
export async function issueEmailToken(tx: Writer, now: Date, { userId, purpose, validSeconds, newEmail }: NewToken) {
  await tx.emailToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: now } })
  const token = newToken()
  await tx.emailToken.create({
    data: {
      tokenHash: hashToken(token),
      userId,
      purpose,
      newEmail,
      createdAt: now,
      expiresAt: new Date(now.getTime() + validSeconds * 1000),
    },
  })
  return token
}

export type UsedToken = { userId: number; newEmail: string | null }

/**
 * Uses a token: what it was issued for, or null when it is unknown, used, replaced or expired. Checked and
 * used in one statement, so a link works once even when followed twice at the same moment.
 */
export async function useEmailToken(
  tx: Writer,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<UsedToken | null> {
  if (!TOKEN_SHAPE.test(token)) return null
  const [used] = await tx.$queryRaw<UsedToken[]>`
    UPDATE "EmailToken" SET "usedAt" = ${now}
    WHERE "tokenHash" = ${hashToken(token)} AND purpose = ${purpose} AND "usedAt" IS NULL AND "expiresAt" > ${now}
    RETURNING "userId", "newEmail"`
  return used ?? null
}

/** Whether a token would work now, without using it (a page that shows the form the token is for). */
export async function isTokenUsable(
  tx: Pick<Prisma.TransactionClient, 'emailToken'>,
  token: string,
  purpose: TokenPurpose,
  now: Date,
): Promise<boolean> {
  if (!TOKEN_SHAPE.test(token)) return false
  const count = await tx.emailToken.count({
    where: { tokenHash: hashToken(token), purpose, usedAt: null, expiresAt: { gt: now } },
  })
  return count === 1
}
