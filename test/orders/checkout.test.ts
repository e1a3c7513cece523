// Checkout turns the account's cart into an order at today's prices and empties the cart.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, createAccount, PASSWORD, signIn, signUpAndIn } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { openCheckout } from '../helpers/checkout.ts'
import { flashOf, headerCount } from '../helpers/pages.ts'
import { cartRows, product } from '../helpers/shop-data.ts'
import { Visitor } from '../helpers/visitor.ts'

test('a guest who checks out is sent to sign in and back to the cart, and no order is made', async (t) => {
  const visit = await startVisit(t)
  await addToCart(visit, (await product(visit.db, 'camp-mug')).id)
  const res = await visit.submit('/cart', {}, '/checkout')
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/login?next=%2Fcart')
  assert.equal(await visit.db.prisma.order.count(), 0)
})

test('after signing in from checkout, the guest is back on the cart with the lines kept and can check out', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 2)
  await visit.submit('/cart', {}, '/checkout')
  await createAccount(visit.db, 'ann@example.test')
  const signedIn = await visit.submit('/login?next=%2Fcart', { email: 'ann@example.test', password: PASSWORD })
  assert.equal(signedIn.headers.location, '/cart')
  const cart = await visit.get('/cart')
  assert.match(cart.body, /Enamel Camp Mug/)
  const res = await visit.submit('/cart', {}, '/checkout')
  assert.equal(res.statusCode, 303)
  assert.match(res.headers.location as string, /^\/orders\/\d+$/)
})

test('checking out an empty cart answers 400 with the cart shown again and a message', async (t) => {
  const visit = await startVisit(t)
  await signUpAndIn(visit, visit.db, 'ann@example.test')
  // The empty cart has no checkout button; a stale tab or a script can still post.
  const fields = { _csrf: await visit.csrfToken('/cart'), checkout_key: 'A'.repeat(22), expected_total_cents: '0' }
  const res = await visit.post('/checkout', fields)
  assert.equal(res.statusCode, 400)
  assert.match(res.body, /<h1>Your cart<\/h1>/)
  assert.match(res.body, /Your cart is empty: add something before checking out\./)
  assert.equal(await visit.db.prisma.order.count(), 0)
})

test('checking out makes an order of the lines, sends the shopper to it and empties the cart', async (t) => {
  const visit = await startVisit(t)
  const user = await signUpAndIn(visit, visit.db, 'ann@example.test')
  const mug = await product(visit.db, 'camp-mug')
  const blanket = await product(visit.db, 'throw-blanket')
  await addToCart(visit, mug.id, 3)
  await addToCart(visit, blanket.id, 2)
  const res = await visit.submit('/cart', {}, '/checkout')
  assert.equal(res.statusCode, 303)
  const order = await visit.db.prisma.order.findFirstOrThrow({ where: { userId: user.id }, include: { lines: true } })
  assert.equal(res.headers.location, `/orders/${order.id}`)
  assert.deepEqual(
    order.lines
      .map(({ productId, productName, unitPriceCents, quantity }) => ({
        productId,
        productName,
        unitPriceCents,
        quantity,
      }))
      .sort((a, b) => a.productId - b.productId),
    [
      { productId: mug.id, productName: 'Enamel Camp Mug', unitPriceCents: 1600, quantity: 3 },
      { productId: blanket.id, productName: 'Cotton Throw Blanket', unitPriceCents: 7900, quantity: 2 },
    ].sort((a, b) => a.productId - b.productId),
  )
  assert.equal(order.totalCents, 3 * 1600 + 2 * 7900)
  assert.deepEqual(await cartRows(visit.db, { userId: user.id }), {})

  const page = await visit.get(res.headers.location as string)
  assert.equal(page.statusCode, 200)
  assert.equal(flashOf(page.body), 'Thank you! Your order is placed.')
  assert.match(page.body, /data-testid="order-total">\$206\.00</)
  assert.equal(headerCount(page.body), 0)
  assert.match((await visit.get('/cart')).body, /Your cart is empty\./)
})

test('an order is made at the price of the moment of checkout, and later price changes leave it alone', async (t) => {
  const visit = await startVisit(t)
  const user = await signUpAndIn(visit, visit.db, 'ann@example.test')
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 2)
  await visit.db.prisma.product.update({ where: { id: mug.id }, data: { priceCents: 1750 } })
  const res = await visit.submit('/cart', {}, '/checkout')
  const order = await visit.db.prisma.order.findFirstOrThrow({ where: { userId: user.id }, include: { lines: true } })
  assert.equal(order.lines[0]?.unitPriceCents, 1750)
  assert.equal(order.totalCents, 3500)

  await visit.db.prisma.product.update({ where: { id: mug.id }, data: { priceCents: 999, name: 'Renamed Mug' } })
  const page = await visit.get(res.headers.location as string)
  assert.match(page.body, /Enamel Camp Mug/)
  assert.match(page.body, /\$17\.50/)
  assert.match(page.body, /data-testid="order-total">\$35\.00</)
  assert.doesNotMatch(page.body, /\$9\.99|Renamed Mug/)
})

test("the cart shows today's prices before checkout", async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 2)
  await visit.db.prisma.product.update({ where: { id: mug.id }, data: { priceCents: 1750 } })
  assert.match((await visit.get('/cart')).body, /data-testid="cart-total">\$35\.00</)
})

test('one checkout form posted twice at the same moment makes exactly one order, and both answers lead to it', async (t) => {
  const visit = await startVisit(t)
  const user = await signUpAndIn(visit, visit.db, 'ann@example.test')
  const mug = await product(visit.db, 'camp-mug')
  const pen = await product(visit.db, 'brass-pen')
  await addToCart(visit, mug.id, 2)
  await addToCart(visit, pen.id)
  const fields = await openCheckout(visit)
  const responses = await Promise.all([visit.post('/checkout', fields), visit.post('/checkout', fields)])
  const orders = await visit.db.prisma.order.findMany({ where: { userId: user.id }, include: { lines: true } })
  assert.equal(orders.length, 1)
  assert.equal(orders[0]?.lines.length, 2)
  assert.equal(orders[0]?.totalCents, 2 * 1600 + 4200)
  for (const res of responses) {
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/orders/${orders[0]?.id}`)
  }
})

test('the same account checking out from two browsers at once gets one order of the shared cart', async (t) => {
  const laptop = await startVisit(t)
  const phone = new Visitor(laptop.app)
  const user = await signUpAndIn(laptop, laptop.db, 'ann@example.test')
  assert.equal((await signIn(phone, 'ann@example.test')).statusCode, 303)
  await addToCart(laptop, (await product(laptop.db, 'camp-mug')).id, 5)
  const [onLaptop, onPhone] = await Promise.all([openCheckout(laptop), openCheckout(phone)])
  const responses = await Promise.all([laptop.post('/checkout', onLaptop), phone.post('/checkout', onPhone)])
  assert.deepEqual(responses.map((res) => res.statusCode).sort(), [303, 400])
  assert.equal(await laptop.db.prisma.order.count({ where: { userId: user.id } }), 1)
})
