// An account's passkeys: added after a WebAuthn registration, listed and removed on /account/passkeys,
// found by credential id when one signs in. Only ever the account's own rows, except the sign-in lookup.
import type { Database } from '../db/client.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import type { Mail } from '../mail/compose.ts'
import { enqueueMail } from '../mail/outbox.ts'
import { recordSecurityEvent, type SeenFrom } from '../shared/security-events.ts'

export type PasskeySummary = { id: number; name: string; createdAt: Date; lastUsedAt: Date | null }

/** What a ceremony needs of a stored passkey: the credential as @simplewebauthn/server takes it. */
export type StoredCredential = {
  passkeyId: number
  userId: number
  id: string
  publicKey: Uint8Array<ArrayBuffer>
  counter: number
  transports: string[]
}

export type NewPasskey = { credentialId: string; publicKey: Uint8Array; counter: number; transports: string[] }

export function listPasskeys(db: Database, userId: number): Promise<PasskeySummary[]> {
  return db.prisma.passkey.findMany({
    where: { userId },
    orderBy: { createdAt: 'asc' },
    select: { id: true, name: true, createdAt: true, lastUsedAt: true },
  })
}

export async function hasPasskeys(db: Database, userId: number): Promise<boolean> {
  return (await db.prisma.passkey.count({ where: { userId } })) > 0
}

/** The account's credential ids and transports: the browser is told which it need not (or may) use. */
export function listCredentialIds(db: Database, userId: number): Promise<{ id: string; transports: string[] }[]> {
  return db.prisma.passkey
    .findMany({ where: { userId }, select: { credentialId: true, transports: true } })
    .then((rows) => rows.map((row) => ({ id: row.credentialId, transports: row.transports })))
}

export async function findCredential(db: Database, credentialId: string): Promise<StoredCredential | null> {
  const row = await db.prisma.passkey.findUnique({ where: { credentialId } })
  if (row === null) return null
  return {
    passkeyId: row.id,
    userId: row.userId,
    id: row.credentialId,
    publicKey: new Uint8Array(row.publicKey),
    counter: Number(row.counter),
    transports: row.transports,
  }
}

/**
 * Adds the passkey with its notice mail and its event, in one transaction. Returns null when the credential
 * is already registered (to any account): a credential id names one key, and belongs to one account.
 */
export async function addPasskey(
  db: Database,
  userId: number,
  passkey: NewPasskey & { name: string },
  context: { now: Date; seenFrom: SeenFrom; notice: (name: string) => Mail },
): Promise<PasskeySummary | null> {
  try {
    return await db.prisma.$transaction(async (tx) => {
      const added = await tx.passkey.create({
        data: {
          userId,
          credentialId: passkey.credentialId,
          publicKey: new Uint8Array(passkey.publicKey),
          counter: BigInt(passkey.counter),
          transports: passkey.transports,
          name: passkey.name,
          createdAt: context.now,
        },
        select: { id: true, name: true, createdAt: true, lastUsedAt: true },
      })
      await enqueueMail(tx, context.notice(added.name))
      await recordSecurityEvent(tx, userId, 'passkey-added', context.seenFrom, context.now)
      return added
    })
  } catch (error) {
    if ((error as Prisma.PrismaClientKnownRequestError).code === 'P2002') return null
    throw error
  }
}

/** Removes one of the account's own passkeys; false when it has no passkey of that id. */
export async function removePasskey(
  db: Database,
  userId: number,
  passkeyId: number,
  context: { now: Date; seenFrom: SeenFrom },
): Promise<boolean> {
  return db.prisma.$transaction(async (tx) => {
    const { count } = await tx.passkey.deleteMany({ where: { id: passkeyId, userId } })
    if (count === 0) return false
    await recordSecurityEvent(tx, userId, 'passkey-removed', context.seenFrom, context.now)
    return true
  })
}

/**
 * Records a sign-in's use: the new signature counter and when. The counter only moves forward, so of two
 * uses at once of a cloned key, the older count never overwrites the newer.
 */
export async function recordPasskeyUse(db: Database, passkeyId: number, newCounter: number, now: Date) {
  await db.prisma.passkey.updateMany({
    where: { id: passkeyId, counter: { lte: BigInt(newCounter) } },
    data: { counter: BigInt(newCounter), lastUsedAt: now },
  })
}
