// Deleting an account. Its cart, emailed tokens, passkeys, two-factor rows and events go with it (ON DELETE
// CASCADE), and every session of every browser ends at once; orders stay, their userId set to null, so
// nothing ties them to the address any more.
import type { AccountSessions } from '../sessions/types.ts'

export async function deleteAccount(accounts: AccountSessions, userId: number): Promise<void> {
  await accounts.transaction(async (tx, endSessions) => {
    await endSessions(userId, { all: true })
    await tx.user.deleteMany({ where: { id: userId } })
  })
}
