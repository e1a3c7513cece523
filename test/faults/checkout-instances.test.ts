// Twenty shoppers check out the last five units at once, through two app servers on one database over real
// HTTP: the conditional UPDATE of the stock lets exactly five through, whichever instance they reach.
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { addToCart, createAccounts, signIn } from '../helpers/accounts.ts'
import { startApp } from '../helpers/app.ts'
import { openCheckout } from '../helpers/checkout.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { product } from '../helpers/shop-data.ts'
import { httpVisitor } from '../helpers/visitor.ts'

const SHOPPERS = 20
const STOCK = 5

async function listening(t: Parameters<typeof startApp>[0], databaseUrl: string): Promise<string> {
  const { app } = await startApp(t, { databaseUrl })
  await app.listen({ port: 0, host: '127.0.0.1' })
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
}

test('20 checkouts at once across two instances for a product with stock 5 sell exactly 5, and every other answer is 409 naming the line', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const [a, b] = await Promise.all([listening(t, databaseUrl), listening(t, databaseUrl)])
  const { app } = await startApp(t, { databaseUrl })
  const db = app.db
  const mug = await product(db, 'camp-mug')
  await db.prisma.product.update({ where: { id: mug.id }, data: { stock: STOCK } })
  const emails = await createAccounts(db, 'last-five', SHOPPERS)
  const shoppers = await Promise.all(
    emails.map(async (email, i) => {
      const browser = httpVisitor(i % 2 === 0 ? a : b)
      assert.equal((await signIn(browser, email)).status, 303)
      assert.equal((await addToCart(browser, mug.id, 1, { csrfToken: await browser.csrfToken() })).status, 303)
      return { browser, form: await openCheckout(browser) }
    }),
  )

  const answers = await Promise.all(shoppers.map(({ browser, form }) => browser.post('/checkout', form)))
  const placed = answers.filter((answer) => answer.status === 303)
  const refused = answers.filter((answer) => answer.status === 409)
  assert.equal(placed.length, STOCK)
  assert.equal(refused.length, SHOPPERS - STOCK)
  for (const answer of refused) assert.match(answer.body, /Not enough in stock for Enamel Camp Mug \(sold out\)/)
  assert.equal((await product(db, 'camp-mug')).stock, 0)
  const sold = await db.prisma.orderLine.aggregate({ where: { productId: mug.id }, _sum: { quantity: true } })
  assert.equal(sold._sum.quantity, STOCK)
  assert.equal(await db.prisma.order.count(), STOCK)
})
