// Redis stopped under load and started again: while it is down the pages that need a session answer 503
// within seconds (never a 500, never a hang), the shop stays up, and once Redis is back it serves again by
// itself, with nothing of PostgreSQL's lost.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, createAccounts, signIn } from '../helpers/accounts.ts'
import { checkout } from '../helpers/checkout.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { cartRows, openDb, userIdOf } from '../helpers/shop-data.ts'
import { httpVisitor, type Page } from '../helpers/visitor.ts'
import { LEAK, repeatUntil } from './helpers/answers.ts'
import { RedisServer } from './helpers/redis-server.ts'
import { startShop } from './helpers/shop-process.ts'

// The shop's own worst case is 2 s (src/sessions/redis-client.ts: connect and command timeouts); a refused
// connection fails at once. 2 s more for a machine shared with the other test files.
const ANSWER_BOUND_MS = 4_000
const RECOVERY_BOUND_MS = 15_000

test('Redis stopped under load is a 503 within seconds; started again, the shop recovers by itself', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const db = openDb(t, databaseUrl)
  const redis = await RedisServer.start(t)
  const shop = await startShop(t, { databaseUrl, env: { SESSION_REDIS_URL: redis.url } })
  const [email = '', newcomer = ''] = await createAccounts(db, 'redis-outage', 2)
  const ann = httpVisitor(shop.url)
  assert.equal((await signIn(ann, email)).status, 303)
  const token = await ann.csrfToken('/')
  assert.equal((await addToCart(ann, 1, 1, { csrfToken: token })).status, 303)
  assert.equal((await checkout(ann)).status, 303, 'an order placed before the outage')
  assert.equal((await addToCart(ann, 3, 2, { csrfToken: token })).status, 303)
  const annId = await userIdOf(db, email)
  const before = { cart: await cartRows(db, { userId: annId }), orders: await db.prisma.order.count() }

  // The load: signed-in requests one after another, from before the stop until after the start.
  const seen: Page[] = []
  let isLoading = true
  const load = (async () => {
    while (isLoading) seen.push(await ann.get('/cart'))
  })()

  await redis.stop()
  await repeatUntil(
    () => ann.get('/account'),
    (page) => page.status === 503,
    RECOVERY_BOUND_MS,
  )
  const during = await Promise.all([
    ann.get('/account'),
    ann.get('/cart'),
    ann.get('/account/sessions'),
    addToCart(ann, 5, 1, { csrfToken: token }),
    ann.post('/logout', { _csrf: token }),
  ])
  for (const page of during) {
    assert.equal(page.status, 503, `${page.status} during the outage`)
    assert.ok(page.ms < ANSWER_BOUND_MS, `an answer took ${page.ms} ms`)
    assert.doesNotMatch(page.body, LEAK)
  }
  assert.ok(shop.isRunning, `the shop exited during the outage:\n${shop.output}`)

  await redis.resume()
  const back = await repeatUntil(
    () => ann.get('/account'),
    (page) => page.status === 200,
    RECOVERY_BOUND_MS,
  )
  assert.match(back.pages.at(-1)?.body ?? '', new RegExp(email), 'the session kept in the append-only file is back')
  const other = httpVisitor(shop.url)
  assert.equal((await signIn(other, newcomer)).status, 303, 'a new sign-in works')
  assert.equal((await other.get('/account')).status, 200)
  isLoading = false
  await load

  const statuses = new Set(seen.map((page) => page.status))
  assert.ok(statuses.has(503) && statuses.has(200), `the load saw ${[...statuses]}`)
  assert.deepEqual([...statuses].sort(), [200, 503], 'never a 500 under load')
  assert.ok(Math.max(...seen.map((page) => page.ms)) < ANSWER_BOUND_MS, 'no answer hung')
  assert.deepEqual(await cartRows(db, { userId: annId }), before.cart, "the account's cart is intact")
  assert.equal(await db.prisma.order.count(), before.orders, 'the order is kept')
  assert.equal(await db.prisma.user.count(), 2)
  t.diagnostic(`${seen.length} requests under load; recovered ${back.ms} ms after Redis started again`)
})
