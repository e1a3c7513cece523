// Writing a session's row for the first time (the store's save, on the direct path like the rest of it). A
// signed-in session is written only if nothing ended the account's sessions since its password was checked.
import type { Database } from '../db/client.ts'
import { Prisma } from '../generated/prisma/client.ts'

export type NewSessionRow = {
  id: string
  data: Record<string, unknown>
  isRemembered: boolean
  userAgent: string
  now: Date
  expiresAt: Date
}

// Cast: in an INSERT ... SELECT the parameters get no type from the columns.
const valuesOf = (row: NewSessionRow) =>
  Prisma.sql`${row.id}::text, ${JSON.stringify(row.data)}::jsonb, ${row.isRemembered}::boolean, ${row.userAgent}::text,
    ${row.now}::timestamptz, ${row.now}::timestamptz, ${row.expiresAt}::timestamptz`

const COLUMNS = Prisma.raw(`id, data, "isRemembered", "userAgent", "createdAt", "lastSeenAt", "expiresAt", "userId"`)

// A sign-in's regenerated id is saved twice: empty by regenerate(), then signed in.
const ON_CONFLICT = Prisma.raw(`ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data, "userId" = EXCLUDED."userId",
  "isRemembered" = EXCLUDED."isRemembered", "userAgent" = EXCLUDED."userAgent",
  "lastSeenAt" = EXCLUDED."lastSeenAt", "expiresAt" = EXCLUDED."expiresAt"`)

export async function insertGuestSession(db: Database, row: NewSessionRow): Promise<void> {
  await db.sql.execute(Prisma.sql`INSERT INTO "Session" (${COLUMNS}) VALUES (${valuesOf(row)}, NULL) ${ON_CONFLICT}`)
}

/**
 * Written only while the account's credential version is still `credentialVersion`, the one read with the
 * password hash. FOR SHARE makes it wait for a password change (or "sign out others") committing right now,
 * then see the new version: either that change's delete sees this row, or this row is never written. A refused
 * sign-in also deletes the empty row its regenerate() stored, so its cookie leads to no session at all.
 */
export async function insertSignedInSession(
  db: Database,
  row: NewSessionRow,
  userId: number,
  credentialVersion: number,
): Promise<void> {
  await db.sql.execute(Prisma.sql`
    WITH account AS (
      SELECT id FROM "User" WHERE id = ${userId} AND "credentialVersion" = ${credentialVersion} FOR SHARE
    ), refused AS (
      DELETE FROM "Session" WHERE id = ${row.id} AND NOT EXISTS (SELECT 1 FROM account)
    )
    INSERT INTO "Session" (${COLUMNS}) SELECT ${valuesOf(row)}, account.id FROM account ${ON_CONFLICT}`)
}
