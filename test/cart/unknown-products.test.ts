// A product that is not there, in a form field or in the path, is a 404 that leaves the cart alone.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { countSessions } from '../helpers/session-store.ts'
import { allCartRows, product } from '../helpers/shop-data.ts'
import type { Fields } from '../helpers/visitor.ts'

const BAD_PRODUCT_FIELDS: Fields[] = [
  { productId: '999999' },
  { productId: 'abc' },
  { productId: '0' },
  { productId: '-1' },
  { productId: '1.5' },
  { productId: '99999999999999999999' },
  { productId: '' },
  { productId: ['1', '2'] },
  {},
]

test('adding a product that is not there answers 404 and changes nothing', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id)
  const before = await allCartRows(visit.db)
  const _csrf = await visit.csrfToken()
  for (const fields of BAD_PRODUCT_FIELDS) {
    await t.test(`productId ${JSON.stringify(fields.productId)}`, async () => {
      const res = await visit.post('/cart/items', { _csrf, quantity: '1', ...fields })
      assert.equal(res.statusCode, 404)
      assert.match(res.body, /There is nothing here\./)
      assert.deepEqual(await allCartRows(visit.db), before)
    })
  }
})

test("a guest's add of a product that is not there stores no session", async (t) => {
  const visit = await startVisit(t)
  const res = await visit.post('/cart/items', { _csrf: await visit.csrfToken(), productId: '999999' })
  assert.equal(res.statusCode, 404)
  assert.equal(await countSessions(visit), 0)
  assert.ok(!visit.cookies.has('sid'))
})

test('a cart form whose path names no product answers 404 and changes nothing', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 3)
  const before = await allCartRows(visit.db)
  const _csrf = await visit.csrfToken('/cart')
  for (const id of ['999999', 'abc', '0', '-1', '1.5', '01', '99999999999999999999', '%00']) {
    for (const path of [`/cart/items/${id}`, `/cart/items/${id}/delete`]) {
      await t.test(`POST ${path}`, async () => {
        const res = await visit.post(path, { _csrf, quantity: '2' })
        assert.equal(res.statusCode, 404)
        assert.deepEqual(await allCartRows(visit.db), before)
      })
    }
  }
})

test('a guest with no cart who removes a line makes no session', async (t) => {
  const visit = await startVisit(t)
  const res = await visit.post('/cart/items/1/delete', { _csrf: await visit.csrfToken('/') })
  assert.equal(res.statusCode, 303)
  assert.equal(await countSessions(visit), 0)
  assert.ok(!visit.cookies.has('sid'))
})

test('removing a line that is not in the cart, such as a second click on Remove, goes back to the cart', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 3)
  const _csrf = await visit.csrfToken('/cart')
  assert.equal((await visit.post(`/cart/items/${mug.id}/delete`, { _csrf })).statusCode, 303)
  const again = await visit.post(`/cart/items/${mug.id}/delete`, { _csrf })
  assert.equal(again.statusCode, 303)
  assert.equal(again.headers.location, '/cart')
  assert.deepEqual(await allCartRows(visit.db), [])
})

for (const [what, fields] of [
  ['a quantity for a product that is not there', { quantity: '2' }],
  ['a quantity of 0', { quantity: '0' }],
] as const) {
  test(`a guest with no cart who sends ${what} makes no session`, async (t) => {
    const visit = await startVisit(t)
    const productId = fields.quantity === '0' ? '1' : '999999'
    const res = await visit.post(`/cart/items/${productId}`, { _csrf: await visit.csrfToken('/'), ...fields })
    assert.equal(res.statusCode, fields.quantity === '0' ? 303 : 404)
    assert.equal(await countSessions(visit), 0)
    assert.ok(!visit.cookies.has('sid'))
  })
}
