// Signing in or registering brings the guest's cart along into the account's cart, which every browser shares.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createUser } from '../../src/auth/users.ts'
import { addToCart, PASSWORD, signIn, signUpAndIn } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { headerCount } from '../helpers/pages.ts'
import { cartRows, onlySessionId, product } from '../helpers/shop-data.ts'
import { Visitor } from '../helpers/visitor.ts'

test("signing in moves the guest's lines into the account's cart and leaves none with the guest session", async (t) => {
  const visit = await startVisit(t)
  const user = await createUser(visit.db, 'ann@example.test', PASSWORD)
  assert.ok(user)
  const mug = await product(visit.db, 'camp-mug')
  const pen = await product(visit.db, 'brass-pen')
  await addToCart(visit, mug.id, 2)
  await addToCart(visit, pen.id)
  const guestSessionId = await onlySessionId(visit.db)

  assert.equal((await signIn(visit, 'ann@example.test')).statusCode, 303)
  assert.deepEqual(await cartRows(visit.db, { userId: user.id }), { [mug.id]: 2, [pen.id]: 1 })
  assert.equal(await visit.db.prisma.cartItem.count({ where: { sessionId: guestSessionId } }), 0)
  assert.equal(await visit.db.prisma.cartItem.count({ where: { sessionId: { not: null } } }), 0)
  const cart = await visit.get('/cart')
  assert.match(cart.body, /Enamel Camp Mug/)
  assert.match(cart.body, /Brass Ballpoint Pen/)
  assert.equal(headerCount(cart.body), 3)
})

test("on sign-in the guest's quantities add to the account's, capped at 99", async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  const pen = await product(visit.db, 'brass-pen')
  const candle = await product(visit.db, 'soy-candle')
  // Another browser already filled the account's cart.
  const otherBrowser = new Visitor(visit.app)
  const user = await signUpAndIn(otherBrowser, visit.db, 'ann@example.test')
  await addToCart(otherBrowser, mug.id, 60)
  await addToCart(otherBrowser, pen.id, 5)

  await addToCart(visit, mug.id, 50)
  await addToCart(visit, pen.id, 3)
  await addToCart(visit, candle.id, 1)
  assert.equal((await signIn(visit, 'ann@example.test')).statusCode, 303)
  assert.deepEqual(await cartRows(visit.db, { userId: user.id }), { [mug.id]: 99, [pen.id]: 8, [candle.id]: 1 })
})

test("registering moves the guest's lines into the new account's cart", async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 4)
  const guestSessionId = await onlySessionId(visit.db)
  const res = await visit.submit('/register', { email: 'new@example.test', password: PASSWORD })
  assert.equal(res.statusCode, 303)
  const user = await visit.db.prisma.user.findUniqueOrThrow({ where: { email: 'new@example.test' } })
  assert.deepEqual(await cartRows(visit.db, { userId: user.id }), { [mug.id]: 4 })
  assert.equal(await visit.db.prisma.cartItem.count({ where: { sessionId: guestSessionId } }), 0)
  assert.equal(headerCount((await visit.get('/account')).body), 4)
})

test('two browsers signed into the same account see the same cart', async (t) => {
  const laptop = await startVisit(t)
  const phone = new Visitor(laptop.app)
  await signUpAndIn(laptop, laptop.db, 'ann@example.test')
  assert.equal((await signIn(phone, 'ann@example.test')).statusCode, 303)
  const mug = await product(laptop.db, 'camp-mug')
  const pen = await product(laptop.db, 'brass-pen')
  await addToCart(laptop, mug.id, 2)
  await addToCart(phone, pen.id, 3)
  await phone.submit('/cart', { quantity: '5' }, `/cart/items/${mug.id}`)
  for (const browser of [laptop, phone]) {
    const cart = await browser.get('/cart')
    assert.match(cart.body, /value="5"/)
    assert.match(cart.body, /value="3"/)
    assert.equal(headerCount(cart.body), 8)
  }
})

test('signing out leaves the cart with the account: the guest sees an empty cart, signing back in shows it', async (t) => {
  const visit = await startVisit(t)
  await signUpAndIn(visit, visit.db, 'ann@example.test')
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 2)
  await visit.submit('/account', {}, '/logout')
  const guestCart = await visit.get('/cart')
  assert.match(guestCart.body, /Your cart is empty\./)
  assert.equal(headerCount(guestCart.body), 0)
  assert.equal((await signIn(visit, 'ann@example.test')).statusCode, 303)
  assert.equal(headerCount((await visit.get('/cart')).body), 2)
})

test('a wrong password merges nothing: the guest keeps the cart', async (t) => {
  const visit = await startVisit(t)
  const user = await createUser(visit.db, 'ann@example.test', PASSWORD)
  assert.ok(user)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 2)
  const guestSessionId = await onlySessionId(visit.db)
  const res = await visit.submit('/login', { email: 'ann@example.test', password: 'not the password' })
  assert.equal(res.statusCode, 401)
  assert.deepEqual(await cartRows(visit.db, { sessionId: guestSessionId }), { [mug.id]: 2 })
  assert.deepEqual(await cartRows(visit.db, { userId: user.id }), {})
})
