// Orders: what an account has ordered. Placing an order is checkout.ts.
import type { Database } from '../db/client.ts'

export type OrderSummary = { id: number; createdAt: Date; totalCents: number; itemCount: number }

export type OrderLine = { productName: string; unitPriceCents: number; quantity: number; lineTotalCents: number }

export type Order = { id: number; createdAt: Date; totalCents: number; lines: OrderLine[] }

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
