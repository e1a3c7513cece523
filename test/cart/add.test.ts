// Adding to the cart: where the shopper lands afterwards, and the one-time confirmation.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { flashOf } from '../helpers/pages.ts'
import { cartRows, onlySessionId, product } from '../helpers/shop-data.ts'

test('adding from the catalog sends the shopper back to the catalog with the product in the cart', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  const res = await addToCart(visit, mug.id)
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/')
  assert.deepEqual(await cartRows(visit.db, { sessionId: await onlySessionId(visit.db) }), { [mug.id]: 1 })
})

test('adding from a product page sends the shopper back to that product page', async (t) => {
  const visit = await startVisit(t)
  const pen = await product(visit.db, 'brass-pen')
  const res = await addToCart(visit, pen.id, undefined, { pageUrl: `/products/${pen.id}` })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, `/products/${pen.id}`)
})

test('without returnTo, a Referer from this site sends the shopper back to that page', async (t) => {
  const visit = await startVisit(t)
  const pen = await product(visit.db, 'brass-pen')
  const _csrf = await visit.csrfToken()
  // inject sends `Host: localhost:80`; a browser's Referer has no default port.
  const res = await visit.post(
    '/cart/items',
    { _csrf, productId: String(pen.id) },
    { referer: `http://localhost/products/${pen.id}?from=search` },
  )
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, `/products/${pen.id}?from=search`)
})

test('without returnTo or Referer, the shopper lands on the cart', async (t) => {
  const visit = await startVisit(t)
  const pen = await product(visit.db, 'brass-pen')
  const res = await visit.post('/cart/items', { _csrf: await visit.csrfToken(), productId: String(pen.id) })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/cart')
})

test('a Referer from another site sends the shopper to the cart, not back there', async (t) => {
  const visit = await startVisit(t)
  const pen = await product(visit.db, 'brass-pen')
  const _csrf = await visit.csrfToken()
  for (const referer of ['http://evil.test/products/1', 'http://localhost.evil.test/', 'not a url']) {
    const res = await visit.post('/cart/items', { _csrf, productId: String(pen.id) }, { referer })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/cart', `Referer ${referer}`)
  }
})

test('a returnTo that would leave the site sends the shopper to the cart', async (t) => {
  const visit = await startVisit(t)
  const pen = await product(visit.db, 'brass-pen')
  for (const returnTo of ['//evil.test', 'https://evil.test/', '/\\evil.test', 'javascript:alert(1)', '/\r\nx: y']) {
    const res = await addToCart(visit, pen.id, undefined, { fields: { returnTo } })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/cart', `returnTo ${JSON.stringify(returnTo)}`)
  }
})

test('a foreign returnTo is not rescued by a Referer from this site', async (t) => {
  const visit = await startVisit(t)
  const pen = await product(visit.db, 'brass-pen')
  const _csrf = await visit.csrfToken()
  const res = await visit.post(
    '/cart/items',
    { _csrf, productId: String(pen.id), returnTo: '//evil.test' },
    { referer: 'http://localhost/' },
  )
  assert.equal(res.headers.location, '/cart')
})

test('the confirmation shows once on the next page and not on the one after', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id)
  assert.equal(flashOf((await visit.get('/')).body), 'Added Enamel Camp Mug to your cart.')
  assert.equal(flashOf((await visit.get('/')).body), null)
})
