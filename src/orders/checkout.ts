// Checkout: the account's cart becomes an order in one transaction, or nothing happens. Three things keep it
// honest whatever runs at once, on any instance: the cart view's key is claimed first (the same form posted
// twice makes one order), the total is compared with the one the shopper saw, and stock is taken by
// conditional UPDATEs that cannot take more than there is (a CHECK behind them keeps stock at 0 or more).
import type { Database } from '../db/client.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import type { Mail } from '../mail/compose.ts'
import { enqueueMail } from '../mail/outbox.ts'
import type { Order } from './orders.ts'

export type PlacedOrder = Omit<Order, 'createdAt'>

export type ShortLine = { name: string; stock: number }

export type CheckoutResult =
  | { kind: 'placed'; orderId: number }
  /** This key's order exists already (a double click, a reload, a retry): the answer leads to it. */
  | { kind: 'already-placed'; orderId: number }
  | { kind: 'empty' }
  /** Another account's key: not a form this shopper was given. */
  | { kind: 'foreign-key' }
  | { kind: 'total-changed'; totalCents: number }
  | { kind: 'short'; lines: ShortLine[] }

type Refusal = Exclude<CheckoutResult, { kind: 'placed' | 'already-placed' }>

/** Thrown inside the transaction to roll it back, with what to tell the shopper. */
class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.kind)
  }
}

type LockedLine = { id: number; productId: number; quantity: number; name: string; priceCents: number }

export type CheckoutRequest = {
  userId: number
  checkoutKey: string
  expectedTotalCents: number
  /** The order-placed mail for this account, queued in the same transaction. */
  mail: (order: PlacedOrder) => Mail
}

export async function placeOrder(db: Database, request: CheckoutRequest): Promise<CheckoutResult> {
  try {
    return await db.prisma.$transaction((tx) => placeIn(tx, request))
  } catch (error) {
    if (error instanceof Refused) return error.refusal
    throw error
  }
}

async function placeIn(tx: Prisma.TransactionClient, request: CheckoutRequest): Promise<CheckoutResult> {
  const { userId, checkoutKey } = request
  // The key first. A second INSERT of the same key waits for the first transaction: once that commits it
  // inserts nothing and finds its order; if that rolls back, it goes on as the first.
  const claimed = await tx.$queryRaw<{ id: number }[]>`
    INSERT INTO "Order" ("userId", "totalCents", "checkoutKey") VALUES (${userId}, 0, ${checkoutKey})
    ON CONFLICT ("checkoutKey") DO NOTHING RETURNING id`
  const orderId = claimed[0]?.id
  if (orderId === undefined) return { kind: 'already-placed', orderId: await orderOfKey(tx, userId, checkoutKey) }

  // Locked, so another checkout of this cart (another tab, another key) waits, then finds the lines gone.
  const lines = await tx.$queryRaw<LockedLine[]>`
    SELECT c.id, c."productId", c.quantity, p.name, p."priceCents"
    FROM "CartItem" c JOIN "Product" p ON p.id = c."productId"
    WHERE c."userId" = ${userId}
    ORDER BY c."productId"
    FOR UPDATE OF c`
  if (lines.length === 0) throw new Refused({ kind: 'empty' })
  const totalCents = lines.reduce((sum, line) => sum + line.priceCents * line.quantity, 0)
  if (totalCents !== request.expectedTotalCents) throw new Refused({ kind: 'total-changed', totalCents })

  await takeStock(tx, lines)
  await tx.order.update({
    where: { id: orderId },
    data: {
      totalCents,
      lines: {
        create: lines.map((line) => ({
          productId: line.productId,
          productName: line.name,
          unitPriceCents: line.priceCents,
          quantity: line.quantity,
        })),
      },
    },
  })
  await tx.cartItem.deleteMany({ where: { id: { in: lines.map((line) => line.id) } } })
  await enqueueMail(tx, request.mail(orderOf(orderId, totalCents, lines)))
  return { kind: 'placed', orderId }
}

/**
 * Takes each line's quantity from its product's stock, or refuses naming every line there is not enough of.
 * Lines go in product order, so two checkouts sharing products lock them in the same order and never deadlock;
 * an UPDATE that waited for another checkout's lock checks `stock >= quantity` again on the committed row.
 */
async function takeStock(tx: Prisma.TransactionClient, lines: LockedLine[]): Promise<void> {
  const short: ShortLine[] = []
  for (const line of lines) {
    const taken = await tx.$executeRaw`
      UPDATE "Product" SET stock = stock - ${line.quantity} WHERE id = ${line.productId} AND stock >= ${line.quantity}`
    if (taken === 1) continue
    const product = await tx.product.findUniqueOrThrow({ where: { id: line.productId }, select: { stock: true } })
    short.push({ name: line.name, stock: product.stock })
  }
  if (short.length > 0) throw new Refused({ kind: 'short', lines: short })
}

/** The order a key made. Keys are random per cart view, so another account's key is one it cannot have. */
async function orderOfKey(tx: Prisma.TransactionClient, userId: number, checkoutKey: string): Promise<number> {
  const order = await tx.order.findFirst({ where: { checkoutKey, userId }, select: { id: true } })
  if (order === null) throw new Refused({ kind: 'foreign-key' })
  return order.id
}

function orderOf(id: number, totalCents: number, lines: LockedLine[]): PlacedOrder {
  return {
    id,
    totalCents,
    lines: lines.map((line) => ({
      productName: line.name,
      unitPriceCents: line.priceCents,
      quantity: line.quantity,
      lineTotalCents: line.priceCents * line.quantity,
    })),
  }
}
