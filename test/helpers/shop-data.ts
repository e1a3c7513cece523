// What the database says about products, carts and orders, read straight from it (not through the shop under
// test), to show what a request changed or did not.
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { type Database, openDatabase } from '../../src/db/client.ts'

/** A database client of a test's own, closed when the test ends (for a shop running in another process). */
export function openDb(t: Pick<TestContext, 'after'>, databaseUrl: string): Database {
  const db = openDatabase(databaseUrl)
  t.after(() => db.close())
  return db
}

/** The seeded product with this slug. */
export function product(db: Database, slug: string) {
  return db.prisma.product.findUniqueOrThrow({ where: { slug } })
}

export async function userIdOf(db: Database, email: string): Promise<number> {
  return (await db.prisma.user.findUniqueOrThrow({ where: { email } })).id
}

/** productId → quantity of the cart lines a guest session or an account owns. */
export async function cartRows(db: Database, owner: { sessionId: string } | { userId: number }) {
  const rows = await db.prisma.cartItem.findMany({ where: owner, orderBy: { productId: 'asc' } })
  return Object.fromEntries(rows.map((row) => [row.productId, row.quantity]))
}

/** Every cart line in the database as `owner:productId=quantity`, to show that a rejected request changed nothing. */
export async function allCartRows(db: Database): Promise<string[]> {
  const rows = await db.prisma.cartItem.findMany({ orderBy: [{ id: 'asc' }] })
  return rows.map((row) => `${row.userId ?? row.sessionId}:${row.productId}=${row.quantity}`)
}

/** The id of the one session row that owns guest lines: the visitor's guest session. */
export async function onlySessionId(db: Database): Promise<string> {
  const sessions = await db.prisma.session.findMany()
  assert.equal(sessions.length, 1, 'expected exactly one stored session')
  return (sessions[0] as { id: string }).id
}

/** productId → quantity over every order line of an account. */
export async function orderedBy(db: Database, userId: number) {
  const lines = await db.prisma.orderLine.findMany({ where: { order: { userId } } })
  const totals: Record<number, number> = {}
  for (const line of lines) totals[line.productId] = (totals[line.productId] ?? 0) + line.quantity
  return totals
}
