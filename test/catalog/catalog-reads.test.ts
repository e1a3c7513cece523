// The catalog is read with coalesced queries (src/catalog/coalesced.ts): shared by the requests that wait
// for them, but never older than the request. These tests hold it to "a change shows on the next page view".
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { coalesced } from '../../src/catalog/coalesced.ts'
import { startApp, startVisit } from '../helpers/app.ts'
import { Visitor } from '../helpers/visitor.ts'

/** A loader whose queries the test answers by hand, in order. */
function manualLoader() {
  const pending: { resolve: (value: number) => void; reject: (error: Error) => void }[] = []
  const load = () => new Promise<number>((resolve, reject) => pending.push({ resolve, reject }))
  return { load, pending }
}

// Lets the promise callbacks queued so far run (the next query is sent from one).
const settle = () => new Promise((resolve) => setImmediate(resolve))

test('a price change shows on the next page view', async (t) => {
  const visit = await startVisit(t)
  assert.match((await visit.get('/')).body, /\$24\.00/)
  await visit.db.prisma.product.update({ where: { slug: 'canvas-tote' }, data: { priceCents: 2599 } })
  const catalog = await visit.get('/')
  assert.match(catalog.body, /\$25\.99/)
  assert.doesNotMatch(catalog.body, /\$24\.00/)
})

test('a renamed product shows renamed on its page and in the cart message at once', async (t) => {
  const visit = await startVisit(t)
  const tote = await visit.db.prisma.product.findUniqueOrThrow({ where: { slug: 'canvas-tote' } })
  assert.match((await visit.get(`/products/${tote.id}`)).body, /Canvas Tote Bag/)
  await visit.db.prisma.product.update({ where: { id: tote.id }, data: { name: 'Linen Tote Bag' } })
  assert.match((await visit.get(`/products/${tote.id}`)).body, /<h1>Linen Tote Bag<\/h1>/)
  await visit.submit('/', { productId: String(tote.id) }, '/cart/items')
  assert.match((await visit.get('/')).body, /Added Linen Tote Bag to your cart/)
})

test('a change made through another instance shows on the next page view of this one', async (t) => {
  const first = await startApp(t)
  const second = await startApp(t, { databaseUrl: first.config.databaseUrl })
  const visitor = new Visitor(second.app)
  assert.match((await visitor.get('/')).body, /\$24\.00/)
  await first.db.prisma.product.update({ where: { slug: 'canvas-tote' }, data: { priceCents: 1999 } })
  assert.match((await visitor.get('/')).body, /\$19\.99/)
})

test('a product added or deleted shows on the next page view', async (t) => {
  const visit = await startVisit(t)
  const added = await visit.db.prisma.product.create({
    data: { slug: 'new', name: 'Oak Bookend', description: 'd', priceCents: 1200, imagePath: '/x.svg', stock: 10 },
  })
  assert.equal((await visit.get(`/products/${added.id}`)).statusCode, 200)
  assert.match((await visit.get('/')).body, /Oak Bookend/)
  await visit.db.prisma.product.delete({ where: { id: added.id } })
  assert.equal((await visit.get(`/products/${added.id}`)).statusCode, 404)
  assert.doesNotMatch((await visit.get('/')).body, /Oak Bookend/)
})

test('requests arriving while a query is on its way share the next query, never the one in flight', async () => {
  const { load, pending } = manualLoader()
  const read = coalesced(load)
  const first = read()
  const second = read()
  const third = read()
  assert.equal(pending.length, 1, 'the later requests wait: the query on its way may miss a change')
  pending[0]?.resolve(1)
  assert.equal(await first, 1)
  await settle()
  assert.equal(pending.length, 2, 'one query for both waiting requests, sent once the first has answered')
  pending[1]?.resolve(2)
  assert.deepEqual(await Promise.all([second, third]), [2, 2])
})

test('with no query on its way, a request sends its own at once', async () => {
  const { load, pending } = manualLoader()
  const read = coalesced(load)
  const first = read()
  pending[0]?.resolve(1)
  await first
  await settle()
  const later = read()
  assert.equal(pending.length, 2)
  pending[1]?.resolve(2)
  assert.equal(await later, 2)
})

test('a failed query fails only the requests that took it; the waiting ones get a query of their own', async () => {
  const { load, pending } = manualLoader()
  const read = coalesced(load)
  const failing = read()
  const waiting = read()
  pending[0]?.reject(new Error('connection lost'))
  await assert.rejects(failing, /connection lost/)
  await settle()
  pending[1]?.resolve(2)
  assert.equal(await waiting, 2)
})
