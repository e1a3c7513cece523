// Recovery codes: 10 one-time codes that stand in for a TOTP code when the phone is lost. Each is 16
// characters (80 random bits) from an alphabet without look-alikes (no i, l, o, u); only argon2id hashes
// are kept. The first 4 characters are also kept as they are, to find the one hash to check: checking ten
// argon2id hashes per attempt would cost ten times the CPU, and the 12 characters left are still 60 bits.
import { randomInt } from 'node:crypto'
import { hashPassword, verifyPassword } from '../auth/passwords.ts'
import type { Database } from '../db/client.ts'
import type { Prisma } from '../generated/prisma/client.ts'

export const RECOVERY_CODE_COUNT = 10
const CODE_LENGTH = 16
const LOOKUP_LENGTH = 4
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'

function newCode(): string {
  return Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')
}

/** Ten new codes, no two starting alike (so each has its own lookup). */
export function newRecoveryCodes(): string[] {
  const codes = new Map<string, string>()
  while (codes.size < RECOVERY_CODE_COUNT) {
    const code = newCode()
    codes.set(code.slice(0, LOOKUP_LENGTH), code)
  }
  return [...codes.values()]
}

/** A recovery code as typed: case, spaces and dashes do not matter. */
export function asRecoveryCode(typed: string): string | null {
  const code = typed.toLowerCase().replace(/[\s-]/g, '')
  return code.length === CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c)) ? code : null
}

type Writer = Pick<Prisma.TransactionClient, 'recoveryCode'>

/** What is stored of each code. Hashed before the transaction that stores them, so it is not held open meanwhile. */
export type HashedCode = { lookup: string; codeHash: string }

export function hashRecoveryCodes(codes: string[]): Promise<HashedCode[]> {
  return Promise.all(
    codes.map(async (code) => ({ lookup: code.slice(0, LOOKUP_LENGTH), codeHash: await hashPassword(code) })),
  )
}

/** Replaces the account's codes: the old ones stop working in the same transaction. */
export async function storeRecoveryCodes(tx: Writer, userId: number, hashed: HashedCode[]): Promise<void> {
  await tx.recoveryCode.deleteMany({ where: { userId } })
  await tx.recoveryCode.createMany({ data: hashed.map((code) => ({ userId, ...code })) })
}

/**
 * Spends the code: true when it was one of the account's unused codes, which is then deleted. The delete
 * decides, so of two sign-ins racing with one code only one gets it.
 */
export async function spendRecoveryCode(db: Database, userId: number, code: string): Promise<boolean> {
  const row = await db.prisma.recoveryCode.findUnique({
    where: { userId_lookup: { userId, lookup: code.slice(0, LOOKUP_LENGTH) } },
  })
  // No such code still costs a hash, so timing does not tell which lookups exist.
  if (!(await verifyPassword(row?.codeHash ?? null, code)) || row === null) return false
  const { count } = await db.prisma.recoveryCode.deleteMany({ where: { id: row.id } })
  return count === 1
}

export function countRecoveryCodes(db: Database, userId: number): Promise<number> {
  return db.prisma.recoveryCode.count({ where: { userId } })
}
