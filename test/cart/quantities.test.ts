// Quantities: a whole number from 1 to 99 in decimal digits, on the add form and on the cart's own forms.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { flashOf } from '../helpers/pages.ts'
import { allCartRows, cartRows, onlySessionId, product } from '../helpers/shop-data.ts'
import type { Fields } from '../helpers/visitor.ts'

const QUANTITY_MESSAGE = 'Quantity must be a whole number from 1 to 99.'

// Each is something a browser, a tampered form or a script could send; none is a quantity.
const INVALID_QUANTITIES: Fields[] = [
  { quantity: '0' },
  { quantity: '100' },
  { quantity: '-1' },
  { quantity: '1.5' },
  { quantity: '1e2' },
  { quantity: ' 3' },
  { quantity: '3 ' },
  { quantity: 'abc' },
  { quantity: '' },
  { quantity: '٣' },
  { quantity: '３' },
  { quantity: '0x10' },
  { quantity: '+5' },
  { quantity: '1000' },
  { quantity: '99999999999999999999' },
  // Two values for one field: which one was meant is unknowable, so neither is taken.
  { quantity: ['1', '2'] },
]

test('an add without a quantity field adds one', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  const res = await visit.post('/cart/items', { _csrf: await visit.csrfToken(), productId: String(mug.id) })
  assert.equal(res.statusCode, 303)
  assert.deepEqual(await cartRows(visit.db, { sessionId: await onlySessionId(visit.db) }), { [mug.id]: 1 })
})

test('an add accepts the smallest and largest quantities, 1 and 99, written with or without leading zeros', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  const pen = await product(visit.db, 'brass-pen')
  assert.equal((await addToCart(visit, mug.id, 1)).statusCode, 303)
  assert.equal((await addToCart(visit, pen.id, '099')).statusCode, 303)
  assert.deepEqual(await cartRows(visit.db, { sessionId: await onlySessionId(visit.db) }), {
    [mug.id]: 1,
    [pen.id]: 99,
  })
})

test('an add with a quantity that is not 1 to 99 answers 400 with a message and changes nothing', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 2)
  const before = await allCartRows(visit.db)
  for (const fields of INVALID_QUANTITIES) {
    await t.test(`quantity ${JSON.stringify(fields.quantity)}`, async () => {
      const res = await addToCart(visit, mug.id, undefined, { fields })
      assert.equal(res.statusCode, 400)
      assert.ok(res.body.includes(QUANTITY_MESSAGE), 'the page says what a quantity must be')
      assert.deepEqual(await allCartRows(visit.db), before)
    })
  }
})

test('an add that takes a line past 99 sets it to 99 and says so', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 60)
  const res = await addToCart(visit, mug.id, 50)
  assert.equal(res.statusCode, 303)
  assert.deepEqual(await cartRows(visit.db, { sessionId: await onlySessionId(visit.db) }), { [mug.id]: 99 })
  assert.equal(
    flashOf((await visit.get(res.headers.location as string)).body),
    'Enamel Camp Mug: 99 is the most one cart can hold, so you now have 99.',
  )
})

test('an add that brings a line to exactly 99 is a plain add', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 90)
  const res = await addToCart(visit, mug.id, 9)
  assert.equal(flashOf((await visit.get(res.headers.location as string)).body), 'Added Enamel Camp Mug to your cart.')
})

test("the cart's quantity form sets the line to the number given", async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 3)
  const res = await visit.submit('/cart', { quantity: '7' }, `/cart/items/${mug.id}`)
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/cart')
  assert.deepEqual(await cartRows(visit.db, { sessionId: await onlySessionId(visit.db) }), { [mug.id]: 7 })
  const cart = await visit.get('/cart')
  assert.equal(flashOf(cart.body), 'Quantity updated.')
  assert.match(cart.body, /value="7"/)
})

test('setting a quantity of 0 removes the line and keeps the others', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  const pen = await product(visit.db, 'brass-pen')
  await addToCart(visit, mug.id)
  await addToCart(visit, pen.id)
  const res = await visit.submit('/cart', { quantity: '0' }, `/cart/items/${mug.id}`)
  assert.equal(res.statusCode, 303)
  assert.deepEqual(await cartRows(visit.db, { sessionId: await onlySessionId(visit.db) }), { [pen.id]: 1 })
  assert.equal(flashOf((await visit.get('/cart')).body), 'Removed from your cart.')
})

test('setting an invalid quantity answers 400 with a message and changes nothing', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 4)
  const before = await allCartRows(visit.db)
  // Here 0 is allowed (it removes the line), and a missing field is not a quantity.
  const invalid = [...INVALID_QUANTITIES.filter((fields) => fields.quantity !== '0'), {}]
  for (const fields of invalid) {
    await t.test(`quantity ${JSON.stringify(fields.quantity)}`, async () => {
      const form = { _csrf: await visit.csrfToken('/cart'), ...fields }
      const res = await visit.post(`/cart/items/${mug.id}`, form)
      assert.equal(res.statusCode, 400)
      assert.ok(res.body.includes(QUANTITY_MESSAGE), 'the page says what a quantity must be')
      assert.match(res.body, /<h1>Your cart<\/h1>/)
      assert.deepEqual(await allCartRows(visit.db), before)
    })
  }
})

test('setting the quantity of a product not yet in the cart adds that line', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  const pen = await product(visit.db, 'brass-pen')
  await addToCart(visit, mug.id)
  // A cart page left open in another tab after the line was removed: its form still says what the shopper wants.
  const res = await visit.post(`/cart/items/${pen.id}`, { _csrf: await visit.csrfToken('/cart'), quantity: '2' })
  assert.equal(res.statusCode, 303)
  assert.deepEqual(await cartRows(visit.db, { sessionId: await onlySessionId(visit.db) }), {
    [mug.id]: 1,
    [pen.id]: 2,
  })
})

test('the remove button removes the line and keeps the others', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  const pen = await product(visit.db, 'brass-pen')
  await addToCart(visit, mug.id, 5)
  await addToCart(visit, pen.id)
  const res = await visit.submit('/cart', {}, `/cart/items/${mug.id}/delete`)
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/cart')
  assert.deepEqual(await cartRows(visit.db, { sessionId: await onlySessionId(visit.db) }), { [pen.id]: 1 })
  const cart = await visit.get('/cart')
  assert.equal(flashOf(cart.body), 'Removed from your cart.')
  assert.doesNotMatch(cart.body, /Enamel Camp Mug/)
})
