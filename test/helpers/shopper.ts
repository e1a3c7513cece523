// A shopper's errands for the cart and order tests: products by slug, accounts signed in through the real
// form, adds through the real add-to-cart form, and what the header and the database say about the cart.
import assert from 'node:assert/strict'
import { createUser } from '../../src/auth/users.ts'
import type { Database } from '../../src/db/client.ts'
import type { Fields, Visitor } from './visitor.ts'

export const PASSWORD = 'correct horse battery staple'

/** The seeded product with this slug. */
export function product(db: Database, slug: string) {
  return db.prisma.product.findUniqueOrThrow({ where: { slug } })
}

/** Creates the account (one argon2 hash) and signs the visitor in through /login. */
export async function signUpAndIn(visit: Visitor, db: Database, email: string) {
  const user = await createUser(db, email, PASSWORD)
  assert.ok(user, `could not create ${email}`)
  await signIn(visit, email)
  return user
}

export async function signIn(visit: Visitor, email: string) {
  const res = await visit.submit('/login', { email, password: PASSWORD })
  assert.equal(res.statusCode, 303, `signing in as ${email} failed with ${res.statusCode}`)
}

/** Submits the add-to-cart form of `pageUrl` for this product, as a browser would. */
export function addToCart(visit: Visitor, productId: number, fields: Fields = {}, pageUrl = '/') {
  return visit.submit(pageUrl, { productId: String(productId), ...fields }, '/cart/items')
}

/** The number in the header's cart badge. */
export function headerCount(html: string): number {
  const count = /data-testid="cart-count"[^>]*>(\d+)</.exec(html)?.[1]
  assert.ok(count !== undefined, 'the page has no cart count in its header')
  return Number(count)
}

/** The flash message at the top of a page, or null. */
export function flashOf(html: string): string | null {
  return /<p class="flash" role="status">([^<]*)<\/p>/.exec(html)?.[1] ?? null
}

/** productId → quantity of the cart lines a guest session or an account owns, straight from the database. */
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

/** The text of each body cell of the page's first table, row by row (markup stripped). */
export function tableRows(html: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? ''
  return [...body.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td\b[^>]*>([\s\S]*?)<\/td>/g)].map((cell) =>
      (cell[1] ?? '').replace(/<[^>]*>/g, '').trim(),
    ),
  )
}
