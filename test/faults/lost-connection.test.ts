// One connection lost in the middle of a checkout, after PostgreSQL has locked the cart's rows for it: the
// worst moment, since neither side hears from the other again and the server keeps the transaction open.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Database } from '../../src/db/client.ts'
import { addToCart, createAccounts, signIn } from '../helpers/accounts.ts'
import { openCheckout } from '../helpers/checkout.ts'
import { cartRows, orderedBy, userIdOf } from '../helpers/shop-data.ts'
import { httpVisitor } from '../helpers/visitor.ts'
import { LEAK, repeatUntil } from './helpers/answers.ts'
import { startShopBehindProxy } from './helpers/proxied-shop.ts'

const ANSWER_BOUND_MS = 12_000
const UNLOCK_BOUND_MS = 30_000

async function abandonedTransactions(db: Database, databaseName: string): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const [row] = await db.prisma.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = ${databaseName} AND state = 'idle in transaction'`
    if (row?.count) return row.count
    await sleep(100)
  }
  return 0
}

test('a connection lost in the middle of a checkout makes no order, keeps the cart, and the cart can be checked out again within seconds', async (t) => {
  const { proxy, shop, db, databaseName } = await startShopBehindProxy(t)
  const [email = ''] = await createAccounts(db, 'lost', 1)
  const ann = httpVisitor(shop.url)
  assert.equal((await signIn(ann, email)).status, 303)
  const token = await ann.csrfToken('/cart')
  assert.equal((await addToCart(ann, 4, 2, { csrfToken: token })).status, 303)
  assert.equal((await addToCart(ann, 9, 3, { csrfToken: token })).status, 303)
  const userId = await userIdOf(db, email)
  const cart = await cartRows(db, { userId })

  const form = await openCheckout(ann)
  const stalled = proxy.stallAfter(/FOR UPDATE/)
  const checkout = ann.post('/checkout', form)
  await stalled
  // PostgreSQL ran the statement and now waits, holding the cart's rows, for a client that will never speak again.
  assert.equal(await abandonedTransactions(db, databaseName), 1)
  // The rest of the shop does not wait for that connection.
  assert.equal((await httpVisitor(shop.url).get('/')).status, 200)
  const answer = await checkout
  assert.equal(answer.status, 503)
  assert.ok(answer.ms < ANSWER_BOUND_MS, `the checkout answered after ${answer.ms} ms`)
  assert.doesNotMatch(answer.body, LEAK)
  // What PostgreSQL shows everyone else: no order, the whole cart (the stalled transaction never committed).
  assert.equal(await db.prisma.order.count(), 0)
  assert.deepEqual(await cartRows(db, { userId }), cart)
  // The lost transaction still holds the cart's rows; once PostgreSQL ends it, the checkout goes through.
  const retry = await repeatUntil(
    // The same form: its key waits for the lost transaction's claim to end, then makes the order.
    () => ann.post('/checkout', form),
    (page) => page.status !== 503,
    UNLOCK_BOUND_MS,
  )
  const done = retry.pages.at(-1)
  assert.equal(done?.status, 303, 'the checkout goes through')
  assert.ok(
    retry.pages.every((page) => page.ms < ANSWER_BOUND_MS),
    'no attempt hangs',
  )
  assert.deepEqual(await orderedBy(db, userId), cart, 'the order holds exactly the cart')
  assert.equal(await db.prisma.order.count(), 1)
  assert.deepEqual(await cartRows(db, { userId }), {})
  assert.ok(shop.isRunning)
  t.diagnostic(`checkout possible again after ${retry.ms} ms (${retry.pages.length} attempts)`)
})
