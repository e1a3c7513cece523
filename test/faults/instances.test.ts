// Several instances of the shop on one database with one SESSION_SECRET, as behind a load balancer without
// sticky sessions: any instance takes up what another started.
import assert from 'node:assert/strict'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { demoProducts } from '../../src/catalog/demo-products.ts'
import { addToCart, createAccounts, signIn } from '../helpers/accounts.ts'
import { CookieJar } from '../helpers/cookie-jar.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { headerCount } from '../helpers/pages.ts'
import { cartRows, openDb, userIdOf } from '../helpers/shop-data.ts'
import { httpVisitor } from '../helpers/visitor.ts'
import { freePort, ShopProcess, startShop } from './helpers/shop-process.ts'

const CONCURRENT_ADDS = 40

test('a session started on one instance is known to the other: sign in on A, add on B with a token from A, sign out on A, and B forgets it', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const db = openDb(t, databaseUrl)
  const [a, b] = await Promise.all([startShop(t, { databaseUrl }), startShop(t, { databaseUrl })])
  const [email = ''] = await createAccounts(db, 'instances', 1)
  const onA = httpVisitor(a.url)
  const onB = httpVisitor(b.url, onA.cookies)

  assert.equal((await signIn(onA, email)).status, 303)
  const account = await onB.get('/account')
  assert.equal(account.status, 200, 'B knows the session A started')
  assert.match(account.body, new RegExp(email))

  const tokenFromA = await onA.csrfToken('/')
  assert.equal((await addToCart(onB, 6, 2, { csrfToken: tokenFromA })).status, 303, "B accepts A's CSRF token")
  assert.equal(headerCount((await onA.get('/cart')).body), 2, 'A shows the line added on B')
  const tokenFromB = await onB.csrfToken('/cart')
  assert.equal((await onA.post('/cart/items/6', { _csrf: tokenFromB, quantity: '3' })).status, 303)
  assert.equal(headerCount((await onB.get('/cart')).body), 3)

  const copiedCookies = new CookieJar(onA.cookies)
  assert.equal((await onA.post('/logout', { _csrf: await onA.csrfToken('/') })).status, 303)
  const replayOnB = await httpVisitor(b.url, copiedCookies).get('/account')
  assert.equal(replayOnB.status, 303, 'B no longer knows the session signed out on A')
  assert.equal(replayOnB.location, '/login?next=%2Faccount')
  assert.deepEqual(await cartRows(db, { userId: await userIdOf(db, email) }), { 6: 3 }, 'the account keeps its cart')
})

test('concurrent adds spread over two instances all count', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const db = openDb(t, databaseUrl)
  const [a, b] = await Promise.all([startShop(t, { databaseUrl }), startShop(t, { databaseUrl })])
  const [email = ''] = await createAccounts(db, 'spread', 1)
  const shopper = httpVisitor(a.url)
  assert.equal((await signIn(shopper, email)).status, 303)
  const guest = httpVisitor(b.url)
  // The guest's first add stores the session; the rest then share it.
  assert.equal((await addToCart(guest, 4, 1, { csrfToken: await guest.csrfToken() })).status, 303)
  const tokens = { shopper: await shopper.csrfToken(), guest: await guest.csrfToken() }

  const answers = await Promise.all(
    Array.from({ length: CONCURRENT_ADDS }, (_, i) => {
      const instance = i % 2 === 0 ? a.url : b.url
      return Promise.all([
        addToCart(httpVisitor(instance, shopper.cookies), 9, 1, { csrfToken: tokens.shopper }),
        addToCart(httpVisitor(instance, guest.cookies), 4, 1, { csrfToken: tokens.guest }),
      ])
    }),
  )
  assert.ok(
    answers.flat().every((page) => page.status === 303),
    'every add is answered 303',
  )
  assert.deepEqual(await cartRows(db, { userId: await userIdOf(db, email) }), { 9: CONCURRENT_ADDS })
  const guestSession = await db.prisma.session.findFirstOrThrow({ where: { userId: null } })
  assert.deepEqual(await cartRows(db, { sessionId: guestSession.id }), { 4: CONCURRENT_ADDS + 1 })
  assert.equal(headerCount((await httpVisitor(a.url, guest.cookies).get('/cart')).body), CONCURRENT_ADDS + 1)
  t.diagnostic(`${answers.flat().length} concurrent adds over both instances, every one counted`)
})

test('two instances started at the same moment on an empty database both come up, having migrated and seeded it once', async (t) => {
  const databaseUrl = await createTestDatabase(t, { empty: true })
  const db = openDb(t, databaseUrl)
  const [portA, portB] = [await freePort(), await freePort()]
  const shops = [ShopProcess.spawn(databaseUrl, portA), ShopProcess.spawn(databaseUrl, portB)]
  for (const shop of shops) t.after(() => shop.stop('SIGKILL'))
  await Promise.all(shops.map((shop) => shop.waitUntilHealthy()))

  assert.equal(await db.prisma.product.count(), demoProducts.length, 'the catalog is seeded once')
  const migrations = await readdir(path.resolve(import.meta.dirname, '../../prisma/migrations'), {
    withFileTypes: true,
  })
  const applied = await db.prisma.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM _prisma_migrations`
  assert.deepEqual(
    applied.map((row) => row.migration_name).sort(),
    migrations
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort(),
    'each migration applied once',
  )
  for (const shop of shops) {
    const catalog = await httpVisitor(shop.url).get('/')
    assert.equal(catalog.status, 200)
    assert.equal(catalog.body.match(/class="product-card"/g)?.length, demoProducts.length)
  }
})
