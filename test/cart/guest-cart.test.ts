// A guest's cart lives on the server, owned by the guest's session row.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { hashSessionId } from '../../src/sessions/ids.ts'
import { addToCart } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { tableRows } from '../helpers/pages.ts'
import { countSessions, storedSessions } from '../helpers/session-store.ts'
import { cartRows, product } from '../helpers/shop-data.ts'
import { Visitor } from '../helpers/visitor.ts'

test("a guest's first add stores a session that owns the line, and the cookie carries only its id", async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  const res = await addToCart(visit, mug.id, 2)
  const sid = res.cookies.find((cookie) => cookie.name === 'sid')
  assert.ok(sid, 'the add sets the session cookie')
  assert.equal(sid.httpOnly, true)
  assert.equal(sid.sameSite, 'Lax')
  const [session, ...others] = await storedSessions(visit)
  assert.ok(session)
  assert.equal(others.length, 0)
  assert.equal(session.userId, null)
  const cookieId = sid.value.slice(0, sid.value.lastIndexOf('.'))
  assert.equal(hashSessionId(cookieId), session.id, 'the cookie is the signed id whose hash keys the row')
  const items = await visit.db.prisma.cartItem.findMany()
  assert.deepEqual(
    items.map(({ sessionId, userId, productId, quantity }) => ({ sessionId, userId, productId, quantity })),
    [{ sessionId: session.id, userId: null, productId: mug.id, quantity: 2 }],
  )
})

test("a guest's cart page shows each line's name, unit price, quantity and line total, and the cart total", async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  const blanket = await product(visit.db, 'throw-blanket')
  await addToCart(visit, mug.id, 3)
  await addToCart(visit, blanket.id, 2)
  const res = await visit.get('/cart')
  assert.equal(res.statusCode, 200)
  // Product, unit price, quantity (a form), line total, remove.
  const rows = tableRows(res.body).map(([name, unitPrice, , lineTotal]) => [name, unitPrice, lineTotal])
  assert.deepEqual(rows, [
    ['Enamel Camp Mug', '$16.00', '$48.00'],
    ['Cotton Throw Blanket', '$79.00', '$158.00'],
  ])
  const quantities = [...res.body.matchAll(/name="quantity"[^>]*value="(\d+)"/g)].map((match) => match[1])
  assert.deepEqual(quantities, ['3', '2'])
  assert.match(res.body, /data-testid="cart-total">\$206\.00</)
  assert.match(res.body, /Total \(5 items\)/)
})

test('a new guest sees an empty cart, and looking at it stores nothing', async (t) => {
  const visit = await startVisit(t)
  const res = await visit.get('/cart')
  assert.equal(res.statusCode, 200)
  assert.match(res.body, /Your cart is empty\./)
  assert.ok(!visit.cookies.has('sid'))
  assert.equal(await countSessions(visit), 0)
})

test("a guest's cart is still there on later requests", async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  const pen = await product(visit.db, 'brass-pen')
  await addToCart(visit, mug.id)
  await addToCart(visit, pen.id, 4)
  await visit.get('/')
  const cart = await visit.get('/cart')
  assert.match(cart.body, /Enamel Camp Mug/)
  assert.match(cart.body, /Brass Ballpoint Pen/)
  assert.match(cart.body, /Total \(5 items\)/)
  assert.equal(await countSessions(visit), 1)
})

test("a guest's cart survives a restart of the app", async (t) => {
  const first = await startVisit(t)
  const mug = await product(first.db, 'camp-mug')
  await addToCart(first, mug.id, 6)
  await first.app.close()

  const second = await startVisit(t, { databaseUrl: first.config.databaseUrl })
  const browser = new Visitor(second.app)
  for (const [name, value] of first.cookies) browser.cookies.set(name, value)
  const cart = await browser.get('/cart')
  assert.match(cart.body, /Enamel Camp Mug/)
  assert.match(cart.body, /Total \(6 items\)/)
  // …and the restarted app accepts the forms of the page it served.
  const res = await browser.submit('/cart', { quantity: '7' }, `/cart/items/${mug.id}`)
  assert.equal(res.statusCode, 303)
  const [session] = await storedSessions(second)
  assert.deepEqual(await cartRows(second.db, { sessionId: session?.id ?? '' }), { [mug.id]: 7 })
})

test("two guests do not see each other's carts", async (t) => {
  const ann = await startVisit(t)
  const bob = new Visitor(ann.app)
  const mug = await product(ann.db, 'camp-mug')
  const pen = await product(ann.db, 'brass-pen')
  await addToCart(ann, mug.id)
  await addToCart(bob, pen.id, 2)
  const annCart = await ann.get('/cart')
  assert.match(annCart.body, /Enamel Camp Mug/)
  assert.doesNotMatch(annCart.body, /Brass Ballpoint Pen/)
  const bobCart = await bob.get('/cart')
  assert.match(bobCart.body, /Brass Ballpoint Pen/)
  assert.doesNotMatch(bobCart.body, /Enamel Camp Mug/)
})

test("a guest's cart ends with the session: an idle guest comes back to an empty cart and no rows", async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id)
  visit.clock.advance(visit.config.session.idleSeconds + 1)
  const cart = await visit.get('/cart')
  assert.match(cart.body, /Your cart is empty\./)
  assert.equal(await visit.db.prisma.cartItem.count(), 0)
  assert.equal(await countSessions(visit), 0)
})
