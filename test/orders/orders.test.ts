// The account's orders: the list, one order's page, and nobody else's.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, signUpAndIn } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { tableRows } from '../helpers/pages.ts'
import { product } from '../helpers/shop-data.ts'
import { Visitor } from '../helpers/visitor.ts'

/** Adds these lines and checks out; returns the new order's id. */
async function placeOrder(visit: Visitor, lines: [productId: number, quantity: number][]): Promise<number> {
  for (const [productId, quantity] of lines) await addToCart(visit, productId, quantity)
  const res = await visit.submit('/cart', {}, '/checkout')
  assert.equal(res.statusCode, 303)
  return Number((res.headers.location as string).split('/').at(-1))
}

test('a guest asking for the orders is sent to sign in and back', async (t) => {
  const visit = await startVisit(t)
  const list = await visit.get('/orders')
  assert.equal(list.statusCode, 303)
  assert.equal(list.headers.location, '/login?next=%2Forders')
  const one = await visit.get('/orders/1')
  assert.equal(one.statusCode, 303)
  assert.equal(one.headers.location, '/login?next=%2Forders%2F1')
})

test('an account without orders is told so', async (t) => {
  const visit = await startVisit(t)
  await signUpAndIn(visit, visit.db, 'ann@example.test')
  const res = await visit.get('/orders')
  assert.equal(res.statusCode, 200)
  assert.match(res.body, /No orders yet\./)
})

test("the orders page lists the account's orders newest first, with item counts and totals as money", async (t) => {
  const visit = await startVisit(t)
  await signUpAndIn(visit, visit.db, 'ann@example.test')
  const mug = await product(visit.db, 'camp-mug')
  const blanket = await product(visit.db, 'throw-blanket')
  const first = await placeOrder(visit, [[mug.id, 1]])
  const second = await placeOrder(visit, [[blanket.id, 99]])
  const third = await placeOrder(visit, [
    [mug.id, 2],
    [blanket.id, 1],
  ])
  const res = await visit.get('/orders')
  assert.equal(res.statusCode, 200)
  // Order, placed, items, total.
  const rows = tableRows(res.body).map(([order, , items, total]) => [order, items, total])
  assert.deepEqual(rows, [
    [`Order #${third}`, '3', '$111.00'],
    [`Order #${second}`, '99', '$7,821.00'],
    [`Order #${first}`, '1', '$16.00'],
  ])
})

test('an order page shows its lines with unit prices, quantities and line totals, and the total', async (t) => {
  const visit = await startVisit(t)
  await signUpAndIn(visit, visit.db, 'ann@example.test')
  const notebook = await product(visit.db, 'linen-notebook')
  const candle = await product(visit.db, 'soy-candle')
  const orderId = await placeOrder(visit, [
    [notebook.id, 3],
    [candle.id, 1],
  ])
  const res = await visit.get(`/orders/${orderId}`)
  assert.equal(res.statusCode, 200)
  assert.match(res.body, new RegExp(`<h1>Order #${orderId}</h1>`))
  assert.deepEqual(tableRows(res.body), [
    ['Linen Notebook', '$14.50', '3', '$43.50'],
    ['Scented Soy Candle', '$19.00', '1', '$19.00'],
  ])
  assert.match(res.body, /data-testid="order-total">\$62\.50</)
})

test("another account's order is not there: 404, and it is not in this account's list", async (t) => {
  const ann = await startVisit(t)
  await signUpAndIn(ann, ann.db, 'ann@example.test')
  const annsOrder = await placeOrder(ann, [[(await product(ann.db, 'brass-pen')).id, 1]])
  const bob = new Visitor(ann.app)
  await signUpAndIn(bob, ann.db, 'bob@example.test')
  const res = await bob.get(`/orders/${annsOrder}`)
  assert.equal(res.statusCode, 404)
  assert.doesNotMatch(res.body, /Brass Ballpoint Pen/)
  assert.match((await bob.get('/orders')).body, /No orders yet\./)
})

test('an order id that is malformed or unknown answers 404', async (t) => {
  const visit = await startVisit(t)
  await signUpAndIn(visit, visit.db, 'ann@example.test')
  await placeOrder(visit, [[(await product(visit.db, 'camp-mug')).id, 1]])
  for (const id of ['999999', 'abc', '0', '-1', '1.5', '01', '1e3', '99999999999999999999', '%00', '1%20']) {
    const res = await visit.get(`/orders/${id}`)
    assert.equal(res.statusCode, 404, `/orders/${id}`)
    assert.match(res.body, /There is nothing here\./)
  }
})
