import assert from 'node:assert/strict'
import { test } from 'node:test'
import { demoProducts } from '../../src/catalog/demo-products.ts'
import { seedCatalog } from '../../src/catalog/seed.ts'
import { startVisit } from '../helpers/app.ts'
import { findForms } from '../helpers/visitor.ts'

test('the catalog lists every product with its name and price, and an add-to-cart form for every one in stock', async (t) => {
  const visit = await startVisit(t)
  const res = await visit.get('/')
  assert.equal(res.statusCode, 200)
  assert.match(res.headers['content-type'] as string, /text\/html/)
  const products = await visit.db.prisma.product.findMany({ where: { stock: { gt: 0 } } })
  assert.ok(products.length >= 12)
  assert.match(res.body, /Canvas Tote Bag/)
  assert.match(res.body, /\$24\.00/)
  const addForms = findForms(res.body).filter((form) => form.action === '/cart/items')
  assert.equal(addForms.length, products.length)
  assert.ok(addForms.every((form) => form.fields._csrf && form.fields.productId))
})

test('the header shows an empty cart and the sign-in and register links to a guest', async (t) => {
  const visit = await startVisit(t)
  const res = await visit.get('/')
  assert.match(res.body, /data-testid="cart-count"[^>]*>0</)
  assert.match(res.body, /href="\/login">Sign in</)
  assert.match(res.body, /href="\/register"[^>]*>Register</)
})

test('a product page shows the product with an add-to-cart form', async (t) => {
  const visit = await startVisit(t)
  const product = await visit.db.prisma.product.findUniqueOrThrow({ where: { slug: 'brass-pen' } })
  const res = await visit.get(`/products/${product.id}`)
  assert.equal(res.statusCode, 200)
  assert.match(res.body, /<h1>Brass Ballpoint Pen<\/h1>/)
  assert.match(res.body, /\$42\.00/)
  assert.ok(
    findForms(res.body).some((form) => form.action === '/cart/items' && form.fields.productId === String(product.id)),
  )
})

for (const id of ['999999', 'abc', '0', '-1', '1.5', '99999999999999999999', '%00']) {
  test(`product id ${JSON.stringify(id)} answers the 404 page`, async (t) => {
    const visit = await startVisit(t)
    const res = await visit.get(`/products/${id}`)
    assert.equal(res.statusCode, 404)
    assert.match(res.body, /Not found/)
  })
}

test('product text is escaped, never run as markup', async (t) => {
  const visit = await startVisit(t)
  await visit.db.prisma.product.create({
    data: {
      slug: 'x',
      name: '<script>alert(1)</script>',
      description: 'd',
      priceCents: 100,
      imagePath: '/x.svg',
      stock: 10,
    },
  })
  const res = await visit.get('/')
  assert.doesNotMatch(res.body, /<script>alert\(1\)<\/script>/)
  assert.match(res.body, /&lt;script&gt;/)
})

test('seeding again adds nothing and leaves changed products as they are', async (t) => {
  const visit = await startVisit(t)
  await visit.db.prisma.product.update({ where: { slug: 'camp-mug' }, data: { priceCents: 999 } })
  assert.equal(await seedCatalog(visit.db), 0)
  assert.equal(await visit.db.prisma.product.count(), demoProducts.length)
  const mug = await visit.db.prisma.product.findUniqueOrThrow({ where: { slug: 'camp-mug' } })
  assert.equal(mug.priceCents, 999)
})

test('the stylesheet and product pictures are served', async (t) => {
  const visit = await startVisit(t)
  assert.equal((await visit.get('/static/css/site.css')).statusCode, 200)
  const picture = await visit.get('/static/images/products/camp-mug.svg')
  assert.equal(picture.statusCode, 200)
  assert.match(picture.headers['content-type'] as string, /image\/svg\+xml/)
})

test('browsing the catalog creates no session and sets no session cookie', async (t) => {
  const visit = await startVisit(t)
  const first = await visit.get('/')
  await visit.get('/products/1')
  await visit.get('/')
  assert.equal(await visit.db.prisma.session.count(), 0)
  assert.ok(!first.cookies.some((cookie) => cookie.name === 'sid'))
})
