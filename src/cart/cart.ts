// The cart. A line belongs to a guest's session or to an account; every change is one atomic SQL
// statement (an upsert or a delete), so concurrent adds from tabs or double clicks all count.

import type { Db } from '../db/client.ts'
import { queryRows } from '../db/direct-sql.ts'
import { Prisma } from '../generated/prisma/client.ts'

export const MAX_QUANTITY = 99

export type CartOwner = { userId: number } | { sessionId: string }

export type CartLine = {
  productId: number
  name: string
  imagePath: string
  unitPriceCents: number
  quantity: number
  lineTotalCents: number
}

export type Cart = { lines: CartLine[]; totalCents: number; itemCount: number }

/** The owner column and its value, for the statements below. */
function ownerColumn(owner: CartOwner) {
  return 'userId' in owner
    ? { column: Prisma.raw('"userId"'), value: owner.userId }
    : { column: Prisma.raw('"sessionId"'), value: owner.sessionId }
}

/**
 * The owner's row, share-locked until the statement ends. A guest session that a sign-in in another tab is
 * merging right now (see mergeGuestCart) makes the statement wait, and is then seen as gone: the change is
 * refused, rather than failing on the foreign key or adding a line that the session's end deletes unseen.
 */
function lockedOwner(owner: CartOwner) {
  return 'userId' in owner
    ? Prisma.sql`SELECT id FROM "User" WHERE id = ${owner.userId} FOR KEY SHARE`
    : Prisma.sql`SELECT id FROM "Session" WHERE id = ${owner.sessionId} FOR KEY SHARE`
}

/** A quantity as a form sends it: decimal digits, a whole number from `min` to 99; else null. */
export function parseQuantity(text: unknown, min = 1): number | null {
  if (typeof text !== 'string' || !/^\d{1,3}$/.test(text)) return null
  const quantity = Number(text)
  return quantity >= min && quantity <= MAX_QUANTITY ? quantity : null
}

/** Why a change was not made: the product is not in the catalog, or the cart's owner (a session) has ended. */
export type Refusal = 'no-such-product' | 'owner-ended'

/** When the upsert wrote nothing, the product or the owner was missing. */
const refusalOf = (row: { hasProduct: boolean } | undefined): Refusal =>
  row?.hasProduct ? 'owner-ended' : 'no-such-product'

export type Added = { quantity: number; wasCapped: boolean }

/** Adds to the line (capped at 99). */
export async function addItem(db: Db, owner: CartOwner, productId: number, quantity: number): Promise<Added | Refusal> {
  const { column, value } = ownerColumn(owner)
  // One statement: the upsert adds atomically; `existing` (read at statement start) only tells
  // whether the cap was hit, for the message.
  // The hottest write of the shop, so it goes past the client (see direct-sql.ts).
  const [row] = await queryRows<{ quantity: number | null; previous: number | null; hasProduct: boolean }>(
    db,
    Prisma.sql`
    WITH owner AS (${lockedOwner(owner)}),
    product AS (SELECT id FROM "Product" WHERE id = ${productId}),
    existing AS (
      SELECT quantity FROM "CartItem" WHERE ${column} = ${value} AND "productId" = ${productId}
    ), upserted AS (
      INSERT INTO "CartItem" (${column}, "productId", quantity)
      SELECT owner.id, product.id, ${quantity} FROM owner, product
      ON CONFLICT (${column}, "productId")
      DO UPDATE SET quantity = LEAST(${MAX_QUANTITY}, "CartItem".quantity + EXCLUDED.quantity)
      RETURNING quantity
    )
    SELECT (SELECT quantity FROM upserted) AS quantity, (SELECT quantity FROM existing) AS previous,
      EXISTS (SELECT 1 FROM product) AS "hasProduct"`,
  )
  if (row?.quantity == null) return refusalOf(row)
  return { quantity: row.quantity, wasCapped: (row.previous ?? 0) + quantity > MAX_QUANTITY }
}

/** Sets the line's quantity, from 1 to 99 (adding the line if needed). Null when done. */
export async function setQuantity(
  db: Db,
  owner: CartOwner,
  productId: number,
  quantity: number,
): Promise<Refusal | null> {
  const { column } = ownerColumn(owner)
  const [row] = await db.$queryRaw<{ isSet: boolean; hasProduct: boolean }[]>`
    WITH owner AS (${lockedOwner(owner)}),
    product AS (SELECT id FROM "Product" WHERE id = ${productId}),
    upserted AS (
      INSERT INTO "CartItem" (${column}, "productId", quantity)
      SELECT owner.id, product.id, ${quantity} FROM owner, product
      ON CONFLICT (${column}, "productId") DO UPDATE SET quantity = EXCLUDED.quantity
      RETURNING 1
    )
    SELECT EXISTS (SELECT 1 FROM upserted) AS "isSet", EXISTS (SELECT 1 FROM product) AS "hasProduct"`
  return row?.isSet ? null : refusalOf(row)
}

export async function removeItem(db: Db, owner: CartOwner, productId: number): Promise<void> {
  await db.cartItem.deleteMany({ where: { ...owner, productId } })
}

/** The cart at today's prices. */
export async function getCart(db: Db, owner: CartOwner): Promise<Cart> {
  const items = await db.cartItem.findMany({
    where: owner,
    include: { product: true },
    orderBy: { id: 'asc' },
  })
  const lines = items.map(({ product, quantity }) => ({
    productId: product.id,
    name: product.name,
    imagePath: product.imagePath,
    unitPriceCents: product.priceCents,
    quantity,
    lineTotalCents: product.priceCents * quantity,
  }))
  return {
    lines,
    totalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0),
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
  }
}

/**
 * At sign-in, the guest's lines move into the account's cart (quantities add up, capped at 99) and the guest
 * session ends, its lines with it (ON DELETE CASCADE): all in one transaction, so nothing is counted twice.
 * The guest session is locked first, so an add to it at this moment either lands before and is moved, or
 * waits and then finds the session gone (see lockedOwner): never a line deleted with the session unseen.
 */
export async function mergeGuestCart(db: Db, guestSessionId: string, userId: number): Promise<void> {
  await db.$transaction([
    db.$executeRaw`SELECT id FROM "Session" WHERE id = ${guestSessionId} FOR UPDATE`,
    db.$executeRaw`
      INSERT INTO "CartItem" ("userId", "productId", quantity)
      SELECT ${userId}, "productId", quantity FROM "CartItem" WHERE "sessionId" = ${guestSessionId}
      ON CONFLICT ("userId", "productId")
      DO UPDATE SET quantity = LEAST(${MAX_QUANTITY}, "CartItem".quantity + EXCLUDED.quantity)`,
    db.session.deleteMany({ where: { id: guestSessionId } }),
  ])
}
