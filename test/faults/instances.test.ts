// Several instances of the shop on one database with one SESSION_SECRET, as behind a load balancer without
// sticky sessions: any instance takes up what another started.
import assert from 'node:assert/strict'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { test } from 'node:test'
import { createTestDatabase } from '../helpers/database.ts'
import { Browser, cartCount } from './helpers/browser.ts'
import { addToCart, cartOf, createAccounts, openDb, signIn, userIdOf } from './helpers/shop-data.ts'
import { freePort, ShopProcess, startShop } from './helpers/shop-process.ts'

const CONCURRENT_ADDS = 40

test('a session started on one instance is known to the other: sign in on A, add on B with a token from A, sign out on A, and B forgets it', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const db = openDb(t, databaseUrl)
  const [a, b] = await Promise.all([startShop(t, { databaseUrl }), startShop(t, { databaseUrl })])
  const [email = ''] = await createAccounts(db, 'instances', 1)
  const onA = new Browser(a.url)
  const onB = onA.at(b.url)

  await signIn(onA, email)
  const account = await onB.get('/account')
  assert.equal(account.status, 200, 'B knows the session A started')
  assert.match(account.body, new RegExp(email))

  const tokenFromA = await onA.csrfToken('/')
  assert.equal((await addToCart(onB, tokenFromA, 6, 2)).status, 303, "B accepts A's CSRF token")
  assert.equal(cartCount((await onA.get('/cart')).body), 2, 'A shows the line added on B')
  const tokenFromB = await onB.csrfToken('/cart')
  assert.equal((await onA.post('/cart/items/6', { _csrf: tokenFromB, quantity: '3' })).status, 303)
  assert.equal(cartCount((await onB.get('/cart')).body), 3)

  const copiedCookies = new Map(onA.cookies)
  assert.equal((await onA.post('/logout', { _csrf: await onA.csrfToken('/') })).status, 303)
  const replayOnB = await new Browser(b.url, copiedCookies).get('/account')
  assert.equal(replayOnB.status, 303, 'B no longer knows the session signed out on A')
  assert.equal(replayOnB.location, '/login?next=%2Faccount')
  assert.deepEqual(await cartOf(db, { userId: await userIdOf(db, email) }), { 6: 3 }, 'the account keeps its cart')
})

test('concurrent adds spread over two instances all count', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const db = openDb(t, databaseUrl)
  const [a, b] = await Promise.all([startShop(t, { databaseUrl }), startShop(t, { databaseUrl })])
  const [email = ''] = await createAccounts(db, 'spread', 1)
  const shopper = new Browser(a.url)
  await signIn(shopper, email)
  const guest = new Browser(b.url)
  // The guest's first add stores the session; the rest then share it.
  assert.equal((await addToCart(guest, await guest.csrfToken(), 4, 1)).status, 303)
  const tokens = { shopper: await shopper.csrfToken(), guest: await guest.csrfToken() }

  const answers = await Promise.all(
    Array.from({ length: CONCURRENT_ADDS }, (_, i) => {
      const instance = i % 2 === 0 ? a.url : b.url
      return Promise.all([
        addToCart(shopper.at(instance), tokens.shopper, 9, 1),
        addToCart(guest.at(instance), tokens.guest, 4, 1),
      ])
    }),
  )
  assert.ok(
    answers.flat().every((page) => page.status === 303),
    'every add is answered 303',
  )
  assert.deepEqual(await cartOf(db, { userId: await userIdOf(db, email) }), { 9: CONCURRENT_ADDS })
  const guestSession = await db.prisma.session.findFirstOrThrow({ where: { userId: null } })
  assert.deepEqual(await cartOf(db, { sessionId: guestSession.id }), { 4: CONCURRENT_ADDS + 1 })
  assert.equal(cartCount((await guest.at(a.url).get('/cart')).body), CONCURRENT_ADDS + 1)
  t.diagnostic(`${answers.flat().length} concurrent adds over both instances, every one counted`)
})

test('two instances started at the same moment on an empty database both come up, having migrated and seeded it once', async (t) => {
  const databaseUrl = await createTestDatabase(t, { empty: true })
  const db = openDb(t, databaseUrl)
  const [portA, portB] = [await freePort(), await freePort()]
  const shops = [ShopProcess.spawn(databaseUrl, portA), ShopProcess.spawn(databaseUrl, portB)]
  for (const shop of shops) t.after(() => shop.stop('SIGKILL'))
  await Promise.all(shops.map((shop) => shop.waitUntilHealthy()))

  assert.equal(await db.prisma.product.count(), 12, 'the catalog is seeded once')
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
    const catalog = await new Browser(shop.url).get('/')
    assert.equal(catalog.status, 200)
    assert.equal(catalog.body.match(/class="product-card"/g)?.length, 12)
  }
})
