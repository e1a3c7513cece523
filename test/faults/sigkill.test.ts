// kill -9 in the middle of many checkouts: checkout is one transaction, so each cart is either wholly an order
// or wholly still a cart, never something in between, stock is what committed orders left, and after a restart
// the shop carries on from there.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Database } from '../../src/db/client.ts'
import { addToCart, createAccounts, signIn } from '../helpers/accounts.ts'
import { openCheckout } from '../helpers/checkout.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { headerCount } from '../helpers/pages.ts'
import { cartRows, openDb, orderedBy, userIdOf } from '../helpers/shop-data.ts'
import { httpVisitor } from '../helpers/visitor.ts'
import { oneShot } from './helpers/one-shot.ts'
import { startShop } from './helpers/shop-process.ts'

const SHOPPERS = 24

/** What shopper `i` puts in the cart: productId → quantity. */
function cartFor(i: number): Record<number, number> {
  return { [(i % 12) + 1]: 2, [((i + 4) % 12) + 1]: 1, [((i + 8) % 12) + 1]: 3 }
}

/** Transactions PostgreSQL has rolled back in this database, those of connections that died included. */
async function rolledBack(db: Database, databaseUrl: string): Promise<number> {
  await db.prisma.$executeRaw`SELECT pg_stat_clear_snapshot()`
  const [row] = await db.prisma.$queryRaw<{ count: number }[]>`
    SELECT xact_rollback::int AS count FROM pg_stat_database WHERE datname = ${new URL(databaseUrl).pathname.slice(1)}`
  return row?.count ?? 0
}

async function stockByProduct(db: Database): Promise<Map<number, number>> {
  const products = await db.prisma.product.findMany({ select: { id: true, stock: true } })
  return new Map(products.map(({ id, stock }) => [id, stock]))
}

/** Every product's stock is what it was less what committed orders hold: no unit lost or sold twice. */
async function assertStockMatchesOrders(db: Database, before: Map<number, number>) {
  const sold = await db.prisma.orderLine.groupBy({ by: ['productId'], _sum: { quantity: true } })
  const soldOf = new Map(sold.map((row) => [row.productId, row._sum.quantity ?? 0]))
  for (const [id, stock] of await stockByProduct(db)) {
    assert.equal(stock, (before.get(id) ?? 0) - (soldOf.get(id) ?? 0), `stock of product ${id}`)
  }
}

test('kill -9 during many checkouts leaves every cart either wholly ordered or wholly in the cart, and the shop carries on after a restart', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const db = openDb(t, databaseUrl)
  const shop = await startShop(t, { databaseUrl })
  const emails = await createAccounts(db, 'sigkill', SHOPPERS)
  const shoppers = await Promise.all(
    emails.map(async (email, i) => {
      const browser = httpVisitor(shop.url)
      assert.equal((await signIn(browser, email)).status, 303)
      const token = await browser.csrfToken('/cart')
      for (const [productId, quantity] of Object.entries(cartFor(i))) {
        assert.equal((await addToCart(browser, Number(productId), quantity, { csrfToken: token })).status, 303)
      }
      const form = await openCheckout(browser)
      return { email, browser, form, userId: await userIdOf(db, email), added: cartFor(i) }
    }),
  )

  const stockBefore = await stockByProduct(db)
  const rollbacksBefore = await rolledBack(db, databaseUrl)
  // Every checkout at once; the first one answered pulls the plug on the rest.
  const checkouts = shoppers.map(({ browser, form }) => {
    return oneShot(`${shop.url}/checkout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: browser.cookies.header() },
      body: new URLSearchParams(form).toString(),
    }).then((outcome) => {
      if (outcome.kind === 'answered' && outcome.status === 303) shop.child.kill('SIGKILL')
      return outcome
    })
  })
  const outcomes = await Promise.all(checkouts)
  assert.equal((await shop.exited).signal, 'SIGKILL')
  // A killed backend reports its statistics as it exits; give it a moment.
  await sleep(1000)
  const cutOff = (await rolledBack(db, databaseUrl)) - rollbacksBefore
  assert.ok(cutOff > 0, 'the kill cut off checkouts in the middle of their transaction')

  let ordered = 0
  for (const [i, shopper] of shoppers.entries()) {
    const orders = await db.prisma.order.count({ where: { userId: shopper.userId } })
    const cart = await cartRows(db, { userId: shopper.userId })
    const inOrders = await orderedBy(db, shopper.userId)
    if (orders === 0) {
      assert.deepEqual(cart, shopper.added, `${shopper.email} has no order, so the whole cart`)
    } else {
      assert.equal(orders, 1, `${shopper.email} has one order`)
      assert.deepEqual(inOrders, shopper.added, `${shopper.email}'s order holds the whole cart`)
      assert.deepEqual(cart, {}, `${shopper.email}'s cart is empty`)
      ordered++
    }
    const outcome = outcomes[i]
    if (outcome?.kind === 'answered') assert.equal(orders, 1, 'a checkout answered 303 was committed')
  }
  assert.ok(ordered > 0 && ordered < SHOPPERS, `the kill landed in the middle of the checkouts (${ordered} ordered)`)
  await assertStockMatchesOrders(db, stockBefore)

  const restarted = await startShop(t, { databaseUrl })
  for (const shopper of shoppers) {
    const browser = httpVisitor(restarted.url, shopper.browser.cookies)
    const items = Object.values(await cartRows(db, { userId: shopper.userId })).reduce((a, b) => a + b, 0)
    assert.equal(headerCount((await browser.get('/cart')).body), items, `${shopper.email} is still signed in`)
    if (items > 0) assert.equal((await browser.post('/checkout', await openCheckout(browser))).status, 303)
    assert.deepEqual(await orderedBy(db, shopper.userId), shopper.added)
    assert.equal(await db.prisma.order.count({ where: { userId: shopper.userId } }), 1)
  }
  await assertStockMatchesOrders(db, stockBefore)
  t.diagnostic(
    `killed with ${ordered} of ${SHOPPERS} checkouts committed and ${cutOff} transactions cut off; ` +
      `the other ${SHOPPERS - ordered} carts were whole`,
  )
})
