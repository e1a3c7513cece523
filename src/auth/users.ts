// Accounts: emails are trimmed and lower-cased before they are stored or looked up, so
// `Ann@x.test` and `ann@x.test` are one account. Reading one is find-user.ts's.
import type { Database } from '../db/client.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import { hashPassword } from './passwords.ts'

export type User = { id: number; email: string; passwordHash: string; credentialVersion: number }

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/**
 * Creates the account, or returns null when the email is taken (also when another request took it just now).
 * `withUser` runs in the insert's transaction: what registering causes (its mail) commits with the account.
 */
export async function createUser(
  db: Database,
  email: string,
  password: string,
  withUser?: (tx: Prisma.TransactionClient, user: User) => Promise<void>,
): Promise<User | null> {
  const passwordHash = await hashPassword(password)
  try {
    return await db.prisma.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { email: normalizeEmail(email), passwordHash } })
      await withUser?.(tx, user)
      return user
    })
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return null
    throw error
  }
}
