// Adds that arrive at the same moment (tabs, double clicks, a script) all count: no update is lost.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import pg from 'pg'
import { createUser } from '../../src/auth/users.ts'
import type { Database } from '../../src/db/client.ts'
import { addToCart, PASSWORD, signUpAndIn } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { untilSomeoneWaitsForALock } from '../helpers/locks.ts'
import { cartRows, onlySessionId, product } from '../helpers/shop-data.ts'
import { findForm, type Visitor } from '../helpers/visitor.ts'

/** Posts `count` adds of one product at once, with this visitor's cookies and one token. */
async function addAtOnce(visit: Visitor, productId: number, count: number, quantity = '1') {
  const _csrf = await visit.csrfToken()
  const form = { _csrf, productId: String(productId), quantity, returnTo: '/' }
  const responses = await Promise.all(Array.from({ length: count }, () => visit.post('/cart/items', form)))
  return responses.map((res) => res.statusCode)
}

async function guestWithSession(visit: Visitor, db: Database) {
  // The session must exist first: without a cookie, each of the parallel posts would start a session of its own.
  await addToCart(visit, (await product(db, 'soy-candle')).id)
  return { sessionId: await onlySessionId(db) }
}

test("20 adds of one product at the same moment all count in a guest's cart", async (t) => {
  const visit = await startVisit(t)
  const owner = await guestWithSession(visit, visit.db)
  const mug = await product(visit.db, 'camp-mug')
  const statuses = await addAtOnce(visit, mug.id, 20)
  assert.deepEqual(new Set(statuses), new Set([303]))
  assert.equal((await cartRows(visit.db, owner))[mug.id], 20)
})

test("20 adds of one product at the same moment all count in a signed-in shopper's cart", async (t) => {
  const visit = await startVisit(t)
  const user = await signUpAndIn(visit, visit.db, 'ann@example.test')
  const mug = await product(visit.db, 'camp-mug')
  const statuses = await addAtOnce(visit, mug.id, 20)
  assert.deepEqual(new Set(statuses), new Set([303]))
  assert.deepEqual(await cartRows(visit.db, { userId: user.id }), { [mug.id]: 20 })
})

test('adds of different products at the same moment all land', async (t) => {
  const visit = await startVisit(t)
  const owner = await guestWithSession(visit, visit.db)
  const products = await visit.db.prisma.product.findMany({ orderBy: { id: 'asc' } })
  const _csrf = await visit.csrfToken()
  const responses = await Promise.all(
    products.map((p) => visit.post('/cart/items', { _csrf, productId: String(p.id), quantity: '2' })),
  )
  assert.ok(responses.every((res) => res.statusCode === 303))
  const rows = await cartRows(visit.db, owner)
  assert.equal(Object.keys(rows).length, products.length)
  const candle = await product(visit.db, 'soy-candle')
  for (const p of products) assert.equal(rows[p.id], p.id === candle.id ? 3 : 2, p.slug)
})

test('adds at the same moment that go past 99 stop at 99 without an error', async (t) => {
  const visit = await startVisit(t)
  const owner = await guestWithSession(visit, visit.db)
  const mug = await product(visit.db, 'camp-mug')
  const statuses = await addAtOnce(visit, mug.id, 12, '10')
  assert.deepEqual(new Set(statuses), new Set([303]))
  assert.equal((await cartRows(visit.db, owner))[mug.id], 99)
})

test('adds racing a sign-in in another tab are each moved to the account or refused, never lost or a 5xx', async (t) => {
  const visit = await startVisit(t)
  const user = await createUser(visit.db, 'ann@example.test', PASSWORD)
  assert.ok(user)
  await guestWithSession(visit, visit.db)
  const mug = await product(visit.db, 'camp-mug')
  const _csrf = await visit.csrfToken()
  const loginForm = findForm((await visit.get('/login')).body, '/login')
  assert.ok(loginForm)
  // The other tab's adds were sent with the guest's cookie before the sign-in's answer came back.
  const guestCookie = visit.cookies.header()
  const add = () =>
    visit.app.inject({
      method: 'POST',
      url: '/cart/items',
      payload: new URLSearchParams({ _csrf, productId: String(mug.id) }).toString(),
      headers: { cookie: guestCookie, 'content-type': 'application/x-www-form-urlencoded' },
    })
  let isSignedIn = false
  const signIn = visit.post('/login', { ...loginForm.fields, email: 'ann@example.test', password: PASSWORD })
  const statuses: number[] = []
  const addUntilSignedIn = async () => {
    while (!isSignedIn) statuses.push((await add()).statusCode)
  }
  const [signedIn] = await Promise.all([
    signIn.finally(() => {
      isSignedIn = true
    }),
    addUntilSignedIn(),
    addUntilSignedIn(),
  ])
  assert.equal(signedIn.statusCode, 303)
  // 409: it waited for the merge and found the session gone. 403: it came after, with the ended session's token.
  assert.deepEqual(
    statuses.filter((status) => status !== 303 && status !== 409 && status !== 403),
    [],
  )
  // Every add that said "added" is in a cart: the account's, or (sent after the guest session ended) a new guest's.
  const mugLines = await visit.db.prisma.cartItem.findMany({ where: { productId: mug.id } })
  const counted = mugLines.reduce((sum, line) => sum + line.quantity, 0)
  assert.equal(counted, statuses.filter((status) => status === 303).length)
  assert.equal(await visit.db.prisma.cartItem.count({ where: { userId: user.id, productId: { not: mug.id } } }), 1)
})

test('an add that finds its guest session ended while it waited answers 409 with a message and adds nothing', async (t) => {
  const visit = await startVisit(t)
  const owner = await guestWithSession(visit, visit.db)
  const mug = await product(visit.db, 'camp-mug')
  const _csrf = await visit.csrfToken()
  // Do what a sign-in's merge does: lock the guest session, let the add queue behind it, then end the session.
  const merge = new pg.Client({ connectionString: visit.config.databaseUrl })
  await merge.connect()
  try {
    await merge.query('BEGIN')
    await merge.query('SELECT id FROM "Session" WHERE id = $1 FOR UPDATE', [owner.sessionId])
    const pending = visit.post('/cart/items', { _csrf, productId: String(mug.id) })
    await untilSomeoneWaitsForALock(visit.config.databaseUrl)
    await merge.query('DELETE FROM "Session" WHERE id = $1', [owner.sessionId])
    await merge.query('COMMIT')
    const res = await pending
    assert.equal(res.statusCode, 409)
    assert.match(res.body, /Your cart has just moved/)
    assert.equal(await visit.db.prisma.cartItem.count({ where: { productId: mug.id } }), 0)
  } finally {
    await merge.end()
  }
})

test('an add that commits while a sign-in waits for the guest session is moved to the account, not lost', async (t) => {
  const visit = await startVisit(t)
  const user = await createUser(visit.db, 'bea@example.test', PASSWORD)
  assert.ok(user)
  const owner = await guestWithSession(visit, visit.db)
  const mug = await product(visit.db, 'camp-mug')
  const loginForm = findForm((await visit.get('/login')).body, '/login')
  assert.ok(loginForm)
  // An add in flight: its line written, not yet committed, the guest session held by its foreign key.
  const add = new pg.Client({ connectionString: visit.config.databaseUrl })
  await add.connect()
  try {
    await add.query('BEGIN')
    await add.query(
      'INSERT INTO "CartItem" ("sessionId", "productId", quantity, "addedPriceCents") VALUES ($1, $2, 1, $3)',
      [owner.sessionId, mug.id, mug.priceCents],
    )
    const signIn = visit.post('/login', { ...loginForm.fields, email: 'bea@example.test', password: PASSWORD })
    await untilSomeoneWaitsForALock(visit.config.databaseUrl)
    await add.query('COMMIT')
    assert.equal((await signIn).statusCode, 303)
  } finally {
    await add.end()
  }
  const candle = await product(visit.db, 'soy-candle')
  assert.deepEqual(await cartRows(visit.db, { userId: user.id }), { [candle.id]: 1, [mug.id]: 1 })
})
