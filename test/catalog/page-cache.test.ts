// The pages kept for plain guests (src/catalog/page-cache.ts): one render per page and catalog version.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { catalogPage, GuestPageCache, productPage } from '../../src/catalog/page-cache.ts'
import type { Catalog, Product } from '../../src/catalog/products.ts'

const tote: Product = {
  id: 1,
  slug: 'canvas-tote',
  name: 'Canvas Tote Bag',
  description: 'd',
  priceCents: 2400,
  imagePath: '/x.svg',
  stockLeft: null,
}
const catalogAt = (version: number, priceCents = 2400): Catalog => ({ version, products: [{ ...tote, priceCents }] })

/** A render that records what it was asked for and answers with the price it was given. */
function countingRender() {
  const renders: string[] = []
  const render = async (template: string, data: Readonly<Record<string, unknown>>) => {
    const products = (data.products ?? [data.product]) as Product[]
    renders.push(template)
    return [`${template} ${products.map((product) => product.priceCents).join()}`]
  }
  return { renders, render }
}

test('a page is rendered once per catalog version, however many guests ask, even at the same moment', async () => {
  const { renders, render } = countingRender()
  const cache = new GuestPageCache(render)
  const catalog = catalogAt(1)
  const together = await Promise.all([cache.parts(catalogPage(catalog)), cache.parts(catalogPage(catalog))])
  const later = await cache.parts(catalogPage(catalog))
  assert.deepEqual(together, [['catalog/index 2400'], ['catalog/index 2400']])
  assert.deepEqual(later, ['catalog/index 2400'])
  assert.deepEqual(renders, ['catalog/index'])
})

test('the catalog page and each product page are kept apart', async () => {
  const { renders, render } = countingRender()
  const cache = new GuestPageCache(render)
  const catalog = catalogAt(1)
  await cache.parts(catalogPage(catalog))
  assert.deepEqual(await cache.parts(productPage(catalog, tote)), ['catalog/product 2400'])
  assert.deepEqual(renders, ['catalog/index', 'catalog/product'])
})

test('a new catalog version is rendered afresh, and a request that read the older one is not kept', async () => {
  const { renders, render } = countingRender()
  const cache = new GuestPageCache(render)
  await cache.parts(catalogPage(catalogAt(1)))
  assert.deepEqual(await cache.parts(catalogPage(catalogAt(2, 2599))), ['catalog/index 2599'])
  // A request that read the catalog before the change answers after it: its own page, not kept.
  assert.deepEqual(await cache.parts(catalogPage(catalogAt(1))), ['catalog/index 2400'])
  assert.deepEqual(await cache.parts(catalogPage(catalogAt(2, 2599))), ['catalog/index 2599'])
  assert.equal(renders.length, 3)
})

test('a render that failed is tried again by the next guest', async () => {
  let calls = 0
  const cache = new GuestPageCache(async () => {
    calls++
    if (calls === 1) throw new Error('template broke')
    return ['page']
  })
  await assert.rejects(cache.parts(catalogPage(catalogAt(1))), /template broke/)
  assert.deepEqual(await cache.parts(catalogPage(catalogAt(1))), ['page'])
})
