// Guests with an empty cart and no message share one rendered catalog page and product page, each with its own
// CSRF token spliced in (src/catalog/page-cache.ts). Nobody may get anything of another visitor's.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, signUpAndIn } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { headerCount } from '../helpers/pages.ts'
import { product } from '../helpers/shop-data.ts'
import { findForms, Visitor } from '../helpers/visitor.ts'

const tokensOf = (html: string) => new Set(findForms(html).map((form) => form.fields._csrf))

test('two guests get the same catalog page, each with only their own CSRF token in every form', async (t) => {
  const ann = await startVisit(t)
  const bob = new Visitor(ann.app)
  const annPage = (await ann.get('/')).body
  const bobPage = (await bob.get('/')).body
  const [annToken] = tokensOf(annPage)
  const [bobToken] = tokensOf(bobPage)
  assert.equal(tokensOf(annPage).size, 1)
  assert.equal(tokensOf(bobPage).size, 1)
  assert.ok(annToken && bobToken && annToken !== bobToken)
  assert.equal(annPage.replaceAll(annToken, 'TOKEN'), bobPage.replaceAll(bobToken, 'TOKEN'))
})

test("a guest's token from the shared page is accepted from that guest, and refused from another", async (t) => {
  const ann = await startVisit(t)
  const bob = new Visitor(ann.app)
  const mug = await product(ann.db, 'camp-mug')
  const [annToken = ''] = tokensOf((await ann.get(`/products/${mug.id}`)).body)
  await bob.get(`/products/${mug.id}`)
  assert.equal((await bob.post('/cart/items', { _csrf: annToken, productId: String(mug.id) })).statusCode, 403)
  assert.equal((await ann.post('/cart/items', { _csrf: annToken, productId: String(mug.id) })).statusCode, 303)
})

test('a guest with something in the cart sees their own count and message, not the shared page', async (t) => {
  const ann = await startVisit(t)
  const bob = new Visitor(ann.app)
  await bob.get('/')
  const mug = await product(ann.db, 'camp-mug')
  await addToCart(ann, mug.id)
  const withMessage = (await ann.get('/')).body
  assert.match(withMessage, /Added Enamel Camp Mug to your cart/)
  assert.equal(headerCount(withMessage), 1)
  const afterMessage = (await ann.get('/')).body
  assert.doesNotMatch(afterMessage, /Added Enamel Camp Mug/)
  assert.equal(headerCount(afterMessage), 1)
  assert.equal(headerCount((await bob.get('/')).body), 0)
})

test('a signed-in visitor sees their own email on the catalog, and a guest does not', async (t) => {
  const ann = await startVisit(t)
  const guest = new Visitor(ann.app)
  await guest.get('/')
  await signUpAndIn(ann, ann.db, 'ann@x.test')
  assert.match((await ann.get('/')).body, /ann@x\.test/)
  assert.doesNotMatch((await guest.get('/')).body, /ann@x\.test/)
})

test('a guest with something in the cart sees their own count on a product page another guest already saw', async (t) => {
  const ann = await startVisit(t)
  const bob = new Visitor(ann.app)
  const mug = await product(ann.db, 'camp-mug')
  assert.equal(headerCount((await bob.get(`/products/${mug.id}`)).body), 0)
  await addToCart(ann, mug.id, 3)
  assert.equal(headerCount((await ann.get(`/products/${mug.id}`)).body), 3)
  assert.equal(headerCount((await bob.get(`/products/${mug.id}`)).body), 0)
})

test('a signed-in visitor sees their own email on a product page, and a guest does not', async (t) => {
  const ann = await startVisit(t)
  const guest = new Visitor(ann.app)
  const mug = await product(ann.db, 'camp-mug')
  await guest.get(`/products/${mug.id}`)
  await signUpAndIn(ann, ann.db, 'ann@x.test')
  assert.match((await ann.get(`/products/${mug.id}`)).body, /ann@x\.test/)
  assert.doesNotMatch((await guest.get(`/products/${mug.id}`)).body, /ann@x\.test/)
})

test('a price change shows at once to a guest whose page was shared before', async (t) => {
  const ann = await startVisit(t)
  const bob = new Visitor(ann.app)
  const tote = await product(ann.db, 'canvas-tote')
  assert.match((await ann.get('/')).body, /\$24\.00/)
  assert.match((await ann.get(`/products/${tote.id}`)).body, /\$24\.00/)
  await ann.db.prisma.product.update({ where: { id: tote.id }, data: { priceCents: 2599 } })
  for (const page of ['/', `/products/${tote.id}`]) {
    const body = (await bob.get(page)).body
    assert.match(body, /\$25\.99/)
    assert.doesNotMatch(body, /\$24\.00/)
  }
})
