// Reading an account: on the direct path (src/db/sql.ts), since a sign-in reads one and a sign-in should cost
// argon2 and little else. Creating one, with what registering causes, is users.ts's (Prisma).
import type { Database } from '../db/client.ts'
import { int, type RawRow, text } from '../db/decode.ts'
import { Prisma } from '../generated/prisma/client.ts'
import { normalizeEmail, type User } from './users.ts'

export type SignInUser = User & { isTwoFactorOn: boolean }

const userOf = (row: RawRow): User => ({
  id: int(row, 'id'),
  email: text(row, 'email'),
  passwordHash: text(row, 'passwordHash'),
  credentialVersion: int(row, 'credentialVersion'),
})

/** The account with this email, and whether a code is its second step: what a sign-in needs, in one read. */
export function findSignInUser(db: Database, email: string): Promise<SignInUser | null> {
  return db.sql.firstRow(
    Prisma.sql`
      SELECT u.id, u.email, u."passwordHash", u."credentialVersion", t."enabledAt" IS NOT NULL AS "isTwoFactorOn"
      FROM "User" u LEFT JOIN "TwoFactor" t ON t."userId" = u.id
      WHERE u.email = ${normalizeEmail(email)}`,
    (row) => ({ ...userOf(row), isTwoFactorOn: row.isTwoFactorOn === true }),
  )
}

export function findUserById(db: Database, id: number): Promise<User | null> {
  return db.sql.firstRow(
    Prisma.sql`SELECT id, email, "passwordHash", "credentialVersion" FROM "User" WHERE id = ${id}`,
    userOf,
  )
}
