// Every page's header shows the cart's item count: the sum of the quantities, not the number of lines.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, signUpAndIn } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { headerCount } from '../helpers/pages.ts'
import { product } from '../helpers/shop-data.ts'

test("a guest's header shows the sum of the quantities on the catalog, product and cart pages", async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  const pen = await product(visit.db, 'brass-pen')
  await addToCart(visit, mug.id, 2)
  await addToCart(visit, pen.id, 3)
  for (const page of ['/', `/products/${mug.id}`, '/cart', '/login', '/register']) {
    assert.equal(headerCount((await visit.get(page)).body), 5, page)
  }
})

test("a signed-in shopper's header shows the sum of the quantities on every page, account and orders too", async (t) => {
  const visit = await startVisit(t)
  await signUpAndIn(visit, visit.db, 'ann@example.test')
  const mug = await product(visit.db, 'camp-mug')
  const pen = await product(visit.db, 'brass-pen')
  await addToCart(visit, mug.id, 4)
  await addToCart(visit, pen.id, 7)
  for (const page of ['/', `/products/${pen.id}`, '/cart', '/account', '/account/sessions', '/orders']) {
    const res = await visit.get(page)
    assert.equal(res.statusCode, 200, page)
    assert.equal(headerCount(res.body), 11, page)
  }
})

test('the header count follows changes to the cart', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 2)
  await visit.submit('/cart', { quantity: '9' }, `/cart/items/${mug.id}`)
  assert.equal(headerCount((await visit.get('/')).body), 9)
  await visit.submit('/cart', {}, `/cart/items/${mug.id}/delete`)
  assert.equal(headerCount((await visit.get('/')).body), 0)
})
