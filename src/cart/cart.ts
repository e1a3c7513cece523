// The cart. A line belongs to a guest's session or to an account; every change is one atomic SQL
// statement (an upsert or a delete), so concurrent adds from tabs or double clicks all count.

import type { Db } from '../db/client.ts'
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

/** A quantity as a form sends it: decimal digits, a whole number from `min` to 99; else null. */
export function parseQuantity(text: unknown, min = 1): number | null {
  if (typeof text !== 'string' || !/^\d{1,3}$/.test(text)) return null
  const quantity = Number(text)
  return quantity >= min && quantity <= MAX_QUANTITY ? quantity : null
}

export type AddResult = { quantity: number; wasCapped: boolean } | null

/** Adds to the line (capped at 99). Null when there is no such product. */
export async function addItem(db: Db, owner: CartOwner, productId: number, quantity: number): Promise<AddResult> {
  const { column, value } = ownerColumn(owner)
  // One statement: the upsert adds atomically; `existing` (read at statement start) only tells
  // whether the cap was hit, for the message. Selecting from Product makes an unknown id insert nothing.
  const [row] = await db.$queryRaw<{ quantity: number | null; previous: number | null }[]>`
    WITH existing AS (
      SELECT quantity FROM "CartItem" WHERE ${column} = ${value} AND "productId" = ${productId}
    ), upserted AS (
      INSERT INTO "CartItem" (${column}, "productId", quantity)
      SELECT ${value}, p.id, ${quantity} FROM "Product" p WHERE p.id = ${productId}
      ON CONFLICT (${column}, "productId")
      DO UPDATE SET quantity = LEAST(${MAX_QUANTITY}, "CartItem".quantity + EXCLUDED.quantity)
      RETURNING quantity
    )
    SELECT (SELECT quantity FROM upserted) AS quantity, (SELECT quantity FROM existing) AS previous`
  if (row?.quantity == null) return null
  return { quantity: row.quantity, wasCapped: (row.previous ?? 0) + quantity > MAX_QUANTITY }
}

/** Sets the line's quantity (adding the line if needed); 0 removes it. False when there is no such product. */
export async function setQuantity(db: Db, owner: CartOwner, productId: number, quantity: number): Promise<boolean> {
  if (quantity === 0) {
    await removeItem(db, owner, productId)
    return (await db.product.count({ where: { id: productId } })) > 0
  }
  const { column, value } = ownerColumn(owner)
  const changed = await db.$executeRaw`
    INSERT INTO "CartItem" (${column}, "productId", quantity)
    SELECT ${value}, p.id, ${quantity} FROM "Product" p WHERE p.id = ${productId}
    ON CONFLICT (${column}, "productId") DO UPDATE SET quantity = EXCLUDED.quantity`
  return changed > 0
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
 * At sign-in, the guest's lines move into the account's cart (quantities add up, capped at 99) and
 * are gone from the guest's session: both in one transaction, so nothing is counted twice or lost.
 */
export async function mergeGuestCart(db: Db, guestSessionId: string, userId: number): Promise<void> {
  await db.$transaction([
    db.$executeRaw`
      INSERT INTO "CartItem" ("userId", "productId", quantity)
      SELECT ${userId}, "productId", quantity FROM "CartItem" WHERE "sessionId" = ${guestSessionId}
      ON CONFLICT ("userId", "productId")
      DO UPDATE SET quantity = LEAST(${MAX_QUANTITY}, "CartItem".quantity + EXCLUDED.quantity)`,
    db.cartItem.deleteMany({ where: { sessionId: guestSessionId } }),
  ])
}
