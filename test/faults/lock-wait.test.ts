// A request held up by a lock someone else keeps: PostgreSQL cancels the statement (statement_timeout) and the
// visitor gets a 503 to try again, not a request that hangs or a 500.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import pg from 'pg'
import { createAccount, PASSWORD } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { checkout, openCheckout } from '../helpers/checkout.ts'
import { LEAK } from './helpers/answers.ts'

test('a checkout held up by a lock is cancelled after the statement timeout and answered 503; once the lock is gone it goes through', async (t) => {
  const visit = await startVisit(t)
  const user = await createAccount(visit.db, 'locked@faults.test')
  assert.ok(user)
  assert.equal((await visit.submit('/login', { email: user.email, password: PASSWORD })).statusCode, 303)
  assert.equal((await visit.submit('/products/3', { quantity: '2' }, '/cart/items')).statusCode, 303)

  // Another session locks the cart's rows and keeps them, as a stuck transaction would.
  const locker = new pg.Client({ connectionString: visit.config.databaseUrl })
  await locker.connect()
  let waitedMs: number
  try {
    await locker.query('BEGIN')
    await locker.query('SELECT id FROM "CartItem" WHERE "userId" = $1 FOR UPDATE', [user.id])
    const form = await openCheckout(visit)
    const startedAt = performance.now()
    const held = await visit.post('/checkout', form)
    waitedMs = performance.now() - startedAt
    assert.equal(held.statusCode, 503)
    assert.match(held.body, /cannot reach its database/)
    assert.doesNotMatch(held.body, LEAK)
    assert.ok(waitedMs >= 2500 && waitedMs < 8000, `answered after ${Math.round(waitedMs)} ms`)
    assert.equal(await visit.db.prisma.order.count(), 0)
  } finally {
    await locker.end()
  }
  assert.equal((await checkout(visit)).statusCode, 303)
  t.diagnostic(`a checkout waiting on a lock was answered 503 after ${Math.round(waitedMs)} ms`)
})
