// Deleting an account. The database does the work in one statement: sessions (every browser's, so they end
// at once), cart, emailed tokens, passkeys, two-factor rows and events go with the account (ON DELETE
// CASCADE); orders stay, their userId set to null, so nothing ties them to the address any more.
import type { Database } from '../db/client.ts'

export async function deleteAccount(db: Database, userId: number): Promise<void> {
  await db.prisma.user.deleteMany({ where: { id: userId } })
}
