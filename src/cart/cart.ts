// The cart. A line belongs to a guest's session or to an account; every change is one atomic SQL
// statement, so concurrent adds from tabs or double clicks all count. Every statement here is on the direct
// path (see db/sql.ts): adding to the cart is the shop's hottest write, and the rest keeps it company.
import type { Database } from '../db/client.ts'
import { bool, int, intOrNull, type RawRow, text } from '../db/decode.ts'
import { Prisma } from '../generated/prisma/client.ts'

export const MAX_QUANTITY = 99

export type CartOwner = { userId: number } | { sessionId: string }

export type CartLine = {
  productId: number
  name: string
  imagePath: string
  unitPriceCents: number
  /** The price when the line was added, when it is not today's: the cart says "was $X". */
  wasPriceCents: number | null
  quantity: number
  lineTotalCents: number
  stock: number
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

export type Written = { quantity: number; wasCapped: boolean }

type UpsertRow = { quantity: number | null; wasCapped: boolean; hasProduct: boolean }

const decodeUpsertRow = (row: RawRow): UpsertRow => ({
  quantity: intOrNull(row, 'quantity'),
  wasCapped: bool(row, 'wasCapped'),
  hasProduct: bool(row, 'hasProduct'),
})

/**
 * A flash message the line's statement also writes into the session's row (PostgreSQL's store only, see
 * flash-along.ts): `capped` when an add hit the cap, else `done`.
 */
export type FlashAlong = { sessionRowId: string; done: string; capped: string }

/**
 * Writes a line in one statement: `add` adds to its quantity (capped at 99), `set` replaces it. `previous`
 * (read at the statement's start) tells whether an add hit the cap, for the message; `flash`, when given, is
 * written by the same statement, and only if the line was.
 */
async function writeLine(
  db: Database,
  owner: CartOwner,
  productId: number,
  quantity: number,
  mode: 'add' | 'set',
  flash: FlashAlong | null,
): Promise<Written | Refusal> {
  const { column, value } = ownerColumn(owner)
  const onConflict =
    mode === 'add'
      ? Prisma.sql`LEAST(${MAX_QUANTITY}, "CartItem".quantity + EXCLUDED.quantity)`
      : Prisma.sql`EXCLUDED.quantity`
  const isCapped =
    mode === 'add'
      ? Prisma.sql`COALESCE((SELECT quantity FROM existing), 0) + ${quantity} > ${MAX_QUANTITY}`
      : Prisma.sql`false`
  const flashed =
    flash === null
      ? Prisma.empty
      : Prisma.sql`, flashed AS (
      UPDATE "Session" SET data = data || jsonb_build_object('flash',
        CASE WHEN ${isCapped} THEN ${flash.capped}::text ELSE ${flash.done}::text END)
      WHERE id = ${flash.sessionRowId} AND EXISTS (SELECT 1 FROM upserted)
    )`
  const row = await db.sql.firstRow(
    Prisma.sql`
    WITH owner AS (${lockedOwner(owner)}),
    product AS (SELECT id, "priceCents" FROM "Product" WHERE id = ${productId}),
    existing AS (
      SELECT quantity FROM "CartItem" WHERE ${column} = ${value} AND "productId" = ${productId}
    ), upserted AS (
      INSERT INTO "CartItem" (${column}, "productId", quantity, "addedPriceCents")
      SELECT owner.id, product.id, ${quantity}, product."priceCents" FROM owner, product
      ON CONFLICT (${column}, "productId") DO UPDATE SET quantity = ${onConflict}
      RETURNING quantity
    )${flashed}
    SELECT (SELECT quantity FROM upserted) AS quantity, ${isCapped} AS "wasCapped",
      EXISTS (SELECT 1 FROM product) AS "hasProduct"`,
    decodeUpsertRow,
  )
  if (row?.quantity == null) return row?.hasProduct ? 'owner-ended' : 'no-such-product'
  return { quantity: row.quantity, wasCapped: row.wasCapped }
}

/** Adds to the line (capped at 99). */
export function addItem(db: Database, owner: CartOwner, productId: number, quantity: number, flash: FlashAlong | null) {
  return writeLine(db, owner, productId, quantity, 'add', flash)
}

/** Sets the line's quantity, from 1 to 99 (adding the line if needed). */
export function setQuantity(
  db: Database,
  owner: CartOwner,
  productId: number,
  quantity: number,
  flash: FlashAlong | null,
) {
  return writeLine(db, owner, productId, quantity, 'set', flash)
}

export async function removeItem(db: Database, owner: CartOwner, productId: number): Promise<void> {
  const { column, value } = ownerColumn(owner)
  await db.sql.execute(Prisma.sql`DELETE FROM "CartItem" WHERE ${column} = ${value} AND "productId" = ${productId}`)
}

const decodeCartLine = (row: RawRow): CartLine => {
  const unitPriceCents = int(row, 'unitPriceCents')
  const addedPriceCents = int(row, 'addedPriceCents')
  const quantity = int(row, 'quantity')
  return {
    productId: int(row, 'productId'),
    name: text(row, 'name'),
    imagePath: text(row, 'imagePath'),
    unitPriceCents,
    wasPriceCents: addedPriceCents === unitPriceCents ? null : addedPriceCents,
    quantity,
    lineTotalCents: unitPriceCents * quantity,
    stock: int(row, 'stock'),
  }
}

/** The cart at today's prices, each line with the price it was added at when that differs. */
export async function getCart(db: Database, owner: CartOwner): Promise<Cart> {
  const { column, value } = ownerColumn(owner)
  const lines = await db.sql.rows(
    Prisma.sql`
    SELECT p.id AS "productId", p.name, p."imagePath", p."priceCents" AS "unitPriceCents", c."addedPriceCents",
      c.quantity, p.stock
    FROM "CartItem" c JOIN "Product" p ON p.id = c."productId"
    WHERE c.${column} = ${value}
    ORDER BY c.id`,
    decodeCartLine,
  )
  return {
    lines,
    totalCents: lines.reduce((sum, line) => sum + line.lineTotalCents, 0),
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
  }
}

/**
 * At sign-in, the guest's lines move into the account's cart (quantities add up, capped at 99) and the guest
 * session ends, its lines with it (ON DELETE CASCADE). The guest session is locked by a statement of its own
 * first: an add to it at this moment either commits before the lock is granted, or waits and then finds the
 * session gone (see lockedOwner). The move must come in a second statement: under READ COMMITTED a statement
 * sees the rows committed when it began, so a move in the locking statement would miss the line of an add
 * that committed while it waited for the lock, and the cascade would then delete that line unseen.
 */
export async function mergeGuestCart(db: Database, guestSessionId: string, userId: number): Promise<void> {
  await db.sql.transaction(async (tx) => {
    await tx.execute(Prisma.sql`SELECT id FROM "Session" WHERE id = ${guestSessionId} FOR UPDATE`)
    await tx.execute(Prisma.sql`
      WITH moved AS (
        INSERT INTO "CartItem" ("userId", "productId", quantity, "addedPriceCents")
        SELECT ${userId}, "productId", quantity, "addedPriceCents" FROM "CartItem" WHERE "sessionId" = ${guestSessionId}
        ON CONFLICT ("userId", "productId")
        DO UPDATE SET quantity = LEAST(${MAX_QUANTITY}, "CartItem".quantity + EXCLUDED.quantity)
      )
      DELETE FROM "Session" WHERE id = ${guestSessionId}`)
  })
}
