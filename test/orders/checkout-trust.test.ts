// What keeps a checkout honest: the total the shopper saw, the stock there is, and one order per checkout form.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, signUpAndIn } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { checkout, checkoutFields, openCheckout } from '../helpers/checkout.ts'
import { cartRows, product } from '../helpers/shop-data.ts'
import { findForms } from '../helpers/visitor.ts'

test('a price changed between cart and checkout is 409 with the new total and the line marked, nothing ordered; checking out again succeeds', async (t) => {
  const visit = await startVisit(t)
  const user = await signUpAndIn(visit, visit.db, 'ann@example.test')
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 2)
  const seen = await openCheckout(visit)
  assert.equal(seen.expected_total_cents, '3200')
  await visit.db.prisma.product.update({ where: { id: mug.id }, data: { priceCents: 1750 } })

  const refused = await visit.post('/checkout', seen)
  assert.equal(refused.statusCode, 409)
  assert.match(refused.body, /the total is now \$35\.00, not \$32\.00/)
  assert.match(refused.body, new RegExp(`data-testid="was-${mug.id}">was \\$16\\.00<`))
  assert.match(refused.body, /data-testid="cart-total">\$35\.00</)
  assert.equal(await visit.db.prisma.order.count(), 0)
  assert.equal((await product(visit.db, 'camp-mug')).stock, mug.stock, 'no stock taken')

  const again = await visit.post('/checkout', checkoutFields(refused.body))
  assert.equal(again.statusCode, 303)
  const order = await visit.db.prisma.order.findFirstOrThrow({ where: { userId: user.id } })
  assert.equal(again.headers.location, `/orders/${order.id}`)
  assert.equal(order.totalCents, 3500)
})

test('the cart says "was $X" on a line whose price changed since it was added, and nothing on the others', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  const pen = await product(visit.db, 'brass-pen')
  await addToCart(visit, mug.id)
  await addToCart(visit, pen.id)
  await visit.db.prisma.product.update({ where: { id: mug.id }, data: { priceCents: 1450 } })
  const cart = (await visit.get('/cart')).body
  assert.match(cart, new RegExp(`data-testid="was-${mug.id}">was \\$16\\.00<`))
  assert.match(cart, /\$14\.50/)
  assert.doesNotMatch(cart, new RegExp(`data-testid="was-${pen.id}"`))
})

test('the same checkout key posted 10 times at once makes one order, and all ten answers are 303 to it', async (t) => {
  const visit = await startVisit(t)
  const user = await signUpAndIn(visit, visit.db, 'ann@example.test')
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 3)
  const fields = await openCheckout(visit)
  const answers = await Promise.all(Array.from({ length: 10 }, () => visit.post('/checkout', fields)))
  const orders = await visit.db.prisma.order.findMany({ where: { userId: user.id } })
  assert.equal(orders.length, 1)
  for (const answer of answers) {
    assert.equal(answer.statusCode, 303)
    assert.equal(answer.headers.location, `/orders/${orders[0]?.id}`)
  }
  assert.equal((await product(visit.db, 'camp-mug')).stock, mug.stock - 3, 'stock taken once')
  assert.equal(await visit.db.prisma.outboxMessage.count({ where: { subject: { contains: 'order' } } }), 1)
})

test('a line beyond the stock is 409 naming the line, with nothing ordered and no stock taken', async (t) => {
  const visit = await startVisit(t)
  const user = await signUpAndIn(visit, visit.db, 'ann@example.test')
  const socks = await product(visit.db, 'wool-socks')
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 1)
  await addToCart(visit, socks.id, 5)
  const res = await checkout(visit)
  assert.equal(res.statusCode, 409)
  assert.match(res.body, /Not enough in stock for Wool Hiking Socks \(only 4 left\)/)
  assert.match(res.body, new RegExp(`data-testid="short-${socks.id}">Only 4 left<`))
  assert.equal(await visit.db.prisma.order.count(), 0)
  assert.equal((await product(visit.db, 'wool-socks')).stock, 4)
  assert.equal((await product(visit.db, 'camp-mug')).stock, mug.stock)
  assert.deepEqual(await cartRows(visit.db, { userId: user.id }), { [mug.id]: 1, [socks.id]: 5 })
})

test('a checkout without its key or total is 400 with the cart and a message, and nothing is ordered', async (t) => {
  const visit = await startVisit(t)
  await signUpAndIn(visit, visit.db, 'ann@example.test')
  await addToCart(visit, (await product(visit.db, 'camp-mug')).id)
  const fields = await openCheckout(visit)
  for (const bad of [
    { _csrf: fields._csrf },
    { ...fields, checkout_key: 'short' },
    { ...fields, expected_total_cents: '1e3' },
    { ...fields, expected_total_cents: '-5' },
  ]) {
    const res = await visit.post('/checkout', bad)
    assert.equal(res.statusCode, 400)
    assert.match(res.body, /This checkout form is incomplete or out of date/)
    assert.match(res.body, /<h1>Your cart<\/h1>/)
  }
  assert.equal(await visit.db.prisma.order.count(), 0)
})

test('the catalog and product pages say "Sold out" with no add form at 0, and "Only N left" at 5 or fewer', async (t) => {
  const visit = await startVisit(t)
  const planter = await product(visit.db, 'clay-planter')
  const socks = await product(visit.db, 'wool-socks')
  const mug = await product(visit.db, 'camp-mug')
  const catalog = (await visit.get('/')).body
  assert.match(catalog, new RegExp(`data-testid="stock-${planter.id}">Sold out<`))
  assert.match(catalog, new RegExp(`data-testid="stock-${socks.id}">Only 4 left<`))
  assert.doesNotMatch(catalog, new RegExp(`data-testid="stock-${mug.id}"`))
  const addFormFor = (html: string, id: number) =>
    findForms(html).some((form) => form.action === '/cart/items' && form.fields.productId === String(id))
  assert.equal(addFormFor(catalog, planter.id), false)
  assert.equal(addFormFor(catalog, socks.id), true)
  const page = (await visit.get(`/products/${planter.id}`)).body
  assert.match(page, />Sold out</)
  assert.equal(addFormFor(page, planter.id), false)
})

test('the guest pages kept per catalog version show a product selling out at once, never a stale "in stock"', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  assert.doesNotMatch((await visit.get(`/products/${mug.id}`)).body, /Only \d+ left|Sold out/)
  await visit.db.prisma.product.update({ where: { id: mug.id }, data: { stock: 3 } })
  assert.match((await visit.get(`/products/${mug.id}`)).body, />Only 3 left</)
  await visit.db.prisma.product.update({ where: { id: mug.id }, data: { stock: 0 } })
  const soldOut = await visit.get(`/products/${mug.id}`)
  assert.match(soldOut.body, />Sold out</)
  assert.doesNotMatch(soldOut.body, /action="\/cart\/items"/)
})
