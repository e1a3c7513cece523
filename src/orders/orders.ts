// Orders: checkout turns the account's cart into an order at today's prices, in one transaction.
import type { Database } from '../db/client.ts'

export type OrderSummary = { id: number; createdAt: Date; totalCents: number; itemCount: number }

export type OrderLine = { productName: string; unitPriceCents: number; quantity: number; lineTotalCents: number }

export type Order = { id: number; createdAt: Date; totalCents: number; lines: OrderLine[] }

type LockedLine = { id: number; productId: number; quantity: number; name: string; priceCents: number }

/**
 * Returns the new order's id, or null when the cart is empty. The cart's rows are locked first: a second
 * checkout of the same cart at the same moment waits, then finds the cart empty, so one cart makes one order.
 */
export async function checkout(db: Database, userId: number): Promise<number | null> {
  return db.prisma.$transaction(async (tx) => {
    const lines = await tx.$queryRaw<LockedLine[]>`
      SELECT c.id, c."productId", c.quantity, p.name, p."priceCents"
      FROM "CartItem" c JOIN "Product" p ON p.id = c."productId"
      WHERE c."userId" = ${userId}
      ORDER BY c.id
      FOR UPDATE OF c`
    if (lines.length === 0) return null
    const order = await tx.order.create({
      data: {
        userId,
        totalCents: lines.reduce((sum, line) => sum + line.priceCents * line.quantity, 0),
        lines: {
          create: lines.map((line) => ({
            productId: line.productId,
            productName: line.name,
            unitPriceCents: line.priceCents,
            quantity: line.quantity,
          })),
        },
      },
      select: { id: true },
    })
    await tx.cartItem.deleteMany({ where: { id: { in: lines.map((line) => line.id) } } })
    return order.id
  })
}

export async function listOrders(db: Database, userId: number): Promise<OrderSummary[]> {
  const orders = await db.prisma.order.findMany({
    where: { userId },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    include: { lines: { select: { quantity: true } } },
  })
  return orders.map(({ id, createdAt, totalCents, lines }) => ({
    id,
    createdAt,
    totalCents,
    itemCount: lines.reduce((sum, line) => sum + line.quantity, 0),
  }))
}

/** The account's own order, or null (also for another account's order: it is not there for them). */
export async function findOrder(db: Database, userId: number, orderId: number): Promise<Order | null> {
  const order = await db.prisma.order.findFirst({
    where: { id: orderId, userId },
    include: { lines: { orderBy: { id: 'asc' } } },
  })
  if (order === null) return null
  return {
    id: order.id,
    createdAt: order.createdAt,
    totalCents: order.totalCents,
    lines: order.lines.map(({ productName, unitPriceCents, quantity }) => ({
      productName,
      unitPriceCents,
      quantity,
      lineTotalCents: unitPriceCents * quantity,
    })),
  }
}
