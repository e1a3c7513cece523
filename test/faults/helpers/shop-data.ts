// Accounts, carts and orders for the fault tests, written and read straight in the database (not through
// the shop whose faults are being played), and the few errands a shopper runs through the real forms.
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import { hashPassword } from '../../../src/auth/passwords.ts'
import { type Database, openDatabase } from '../../../src/db/client.ts'
import type { Browser, Page } from './browser.ts'

export const PASSWORD = 'correct horse battery staple'

/** A Prisma client on the test's database, disconnected when the test ends. */
export function openDb(t: Pick<TestContext, 'after'>, databaseUrl: string): Database {
  const db = openDatabase(databaseUrl)
  t.after(() => db.close())
  return db
}

/** `count` accounts sharing one password hash (one argon2 run, not `count`); returns their emails. */
export async function createAccounts(db: Database, prefix: string, count: number): Promise<string[]> {
  const passwordHash = await hashPassword(PASSWORD)
  const emails = Array.from({ length: count }, (_, i) => `${prefix}-${i}@faults.test`)
  await db.prisma.user.createMany({ data: emails.map((email) => ({ email, passwordHash })) })
  return emails
}

export async function signIn(browser: Browser, email: string): Promise<void> {
  const res = await browser.submit('/login', { email, password: PASSWORD })
  assert.equal(res.status, 303, `signing in as ${email} answered ${res.status}`)
}

/** Posts the add-to-cart form with a token the visitor already has (a token is valid for its whole session). */
export function addToCart(browser: Browser, csrfToken: string, productId: number, quantity = 1): Promise<Page> {
  return browser.post('/cart/items', { _csrf: csrfToken, productId: String(productId), quantity: String(quantity) })
}

/** productId → quantity of an owner's cart lines. */
export async function cartOf(db: Database, owner: { userId: number } | { sessionId: string }) {
  const rows = await db.prisma.cartItem.findMany({ where: owner, orderBy: { productId: 'asc' } })
  return Object.fromEntries(rows.map((row) => [row.productId, row.quantity]))
}

/** productId → quantity over every order line of an account. */
export async function orderedBy(db: Database, userId: number) {
  const lines = await db.prisma.orderLine.findMany({ where: { order: { userId } } })
  const totals: Record<number, number> = {}
  for (const line of lines) totals[line.productId] = (totals[line.productId] ?? 0) + line.quantity
  return totals
}

export async function userIdOf(db: Database, email: string): Promise<number> {
  return (await db.prisma.user.findUniqueOrThrow({ where: { email } })).id
}
