import assert from 'node:assert/strict'
import { test } from 'node:test'
import { sweepExpiredSessions } from '../../src/sessions/postgres-store.ts'
import {
  addToCart,
  createAccount,
  createFileDatabase,
  PASSWORD,
  sessionIdOf,
  signIn,
  uniqueEmail,
} from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { countSessions } from '../helpers/session-store.ts'
import { sessionVersion } from '../helpers/session-writes.ts'

const databaseUrl = await createFileDatabase()

// Short lifetimes, so the numbers read easily: idle 10 minutes, at most 1 hour, remembered 2 hours.
const IDLE = 600
const MAX = 3600
const REMEMBER = 7200
const env = {
  SESSION_IDLE_SECONDS: String(IDLE),
  SESSION_MAX_SECONDS: String(MAX),
  REMEMBER_MAX_SECONDS: String(REMEMBER),
}

async function signedInVisit(t: Parameters<typeof startVisit>[0], options: { remember?: boolean; idle?: number } = {}) {
  const visitEnv = options.idle === undefined ? env : { ...env, SESSION_IDLE_SECONDS: String(options.idle) }
  const visit = await startVisit(t, { databaseUrl, env: visitEnv })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const res = await signIn(visit, email, PASSWORD, { remember: options.remember })
  assert.equal(res.statusCode, 303)
  return Object.assign(visit, { sessionId: sessionIdOf(visit) as string })
}

const isSignedIn = async (visit: Awaited<ReturnType<typeof signedInVisit>>) => {
  const res = await visit.get('/account')
  if (res.statusCode === 200) return true
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/login?next=%2Faccount')
  return false
}

const rowVersion = (visit: Awaited<ReturnType<typeof signedInVisit>>) => sessionVersion(visit, visit.sessionId)

test('a session is still signed in a second before its idle limit', async (t) => {
  const visit = await signedInVisit(t)
  visit.clock.advance(IDLE - 1)
  assert.equal(await isSignedIn(visit), true)
})

test('a session idle for SESSION_IDLE_SECONDS is signed out and its row deleted', async (t) => {
  const visit = await signedInVisit(t)
  visit.clock.advance(IDLE)
  assert.equal(await isSignedIn(visit), false)
  assert.equal(await countSessions(visit, { id: visit.sessionId }), 0)
})

test('requests within the idle limit keep the session alive past it', async (t) => {
  const visit = await signedInVisit(t)
  for (let i = 0; i < 4; i++) {
    visit.clock.advance(IDLE - 100)
    assert.equal(await isSignedIn(visit), true, `after ${(i + 1) * (IDLE - 100)} s`)
  }
})

test('a session ends SESSION_MAX_SECONDS after sign-in however active it is', async (t) => {
  const visit = await signedInVisit(t)
  for (let elapsed = 0; elapsed < MAX - 300; ) {
    visit.clock.advance(300)
    elapsed += 300
    assert.equal(await isSignedIn(visit), true, `after ${elapsed} s`)
  }
  visit.clock.advance(299)
  assert.equal(await isSignedIn(visit), true, 'a second before the end')
  visit.clock.advance(1)
  assert.equal(await isSignedIn(visit), false)
  assert.equal(await countSessions(visit, { id: visit.sessionId }), 0)
})

test('a remembered session has no idle limit', async (t) => {
  const visit = await signedInVisit(t, { remember: true })
  visit.clock.advance(REMEMBER - 1)
  assert.equal(await isSignedIn(visit), true)
})

test('a remembered session ends REMEMBER_MAX_SECONDS after sign-in', async (t) => {
  const visit = await signedInVisit(t, { remember: true })
  visit.clock.advance(REMEMBER)
  assert.equal(await isSignedIn(visit), false)
  assert.equal(await countSessions(visit, { id: visit.sessionId }), 0)
})

test('requests within a tenth of the idle limit write nothing to the session row', async (t) => {
  const visit = await signedInVisit(t)
  const before = await rowVersion(visit)
  for (const url of ['/account', '/', '/products/1', '/account']) {
    visit.clock.advance(IDLE / 10 / 5)
    assert.equal((await visit.get(url)).statusCode, 200)
  }
  assert.deepEqual(await rowVersion(visit), before)
})

test('a request more than a tenth of the idle limit after the last write records it', async (t) => {
  const visit = await signedInVisit(t)
  visit.clock.advance(IDLE / 10 + 1)
  await visit.get('/')
  const { lastSeenAt } = await rowVersion(visit)
  assert.equal(lastSeenAt.getTime(), visit.clock.now().getTime())
})

test('with a short idle limit, activity is recorded within a tenth of it, well before a minute', async (t) => {
  const visit = await signedInVisit(t, { idle: 100 })
  const before = await rowVersion(visit)
  visit.clock.advance(9)
  await visit.get('/')
  assert.deepEqual(await rowVersion(visit), before, 'nothing written 9 s after')
  visit.clock.advance(2)
  await visit.get('/')
  const { lastSeenAt } = await rowVersion(visit)
  assert.equal(lastSeenAt.getTime(), visit.clock.now().getTime(), 'recorded 11 s after')
})

test('with a long idle limit, activity is still recorded at most a minute late', async (t) => {
  const visit = await signedInVisit(t, { idle: 6000 })
  visit.clock.advance(61)
  await visit.get('/')
  const { lastSeenAt } = await rowVersion(visit)
  assert.equal(lastSeenAt.getTime(), visit.clock.now().getTime())
})

test('a guest session that ends takes its cart lines with it', async (t) => {
  const visit = await startVisit(t, { databaseUrl, env })
  await addToCart(visit, 1)
  const guestId = sessionIdOf(visit) as string
  assert.equal(await visit.db.prisma.cartItem.count({ where: { sessionId: guestId } }), 1)
  visit.clock.advance(IDLE)
  const cart = await visit.get('/cart')
  assert.match(cart.body, /data-testid="cart-count"[^>]*>0</)
  assert.equal(await countSessions(visit, { id: guestId }), 0)
  assert.equal(await visit.db.prisma.cartItem.count({ where: { sessionId: guestId } }), 0)
})

test('an ended session id is not taken up again when its visitor adds to the cart', async (t) => {
  const visit = await signedInVisit(t)
  visit.clock.advance(IDLE)
  await addToCart(visit, 1)
  assert.equal(await countSessions(visit, { id: visit.sessionId }), 0)
  assert.notEqual(sessionIdOf(visit), visit.sessionId)
})

test('the sweep deletes ended sessions with their guest carts and keeps live ones', async (t) => {
  const { db, clock } = await startVisit(t, { databaseUrl, env })
  const now = clock.now()
  const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000)
  const fromNow = (seconds: number) => new Date(now.getTime() + seconds * 1000)
  const user = await createAccount(db, uniqueEmail())
  const prefix = `sweep-${Date.now()}-`
  const rows = {
    live: { lastSeenAt: ago(60), expiresAt: fromNow(600), isRemembered: false, userId: null },
    idle: { lastSeenAt: ago(IDLE), expiresAt: fromNow(600), isRemembered: false, userId: null },
    pastMax: { lastSeenAt: ago(1), expiresAt: now, isRemembered: false, userId: user.id },
    rememberedIdle: { lastSeenAt: ago(IDLE * 5), expiresAt: fromNow(60), isRemembered: true, userId: user.id },
    rememberedEnded: { lastSeenAt: ago(1), expiresAt: ago(1), isRemembered: true, userId: user.id },
  }
  for (const [name, row] of Object.entries(rows)) {
    await db.prisma.session.create({ data: { id: prefix + name, data: {}, createdAt: ago(IDLE * 6), ...row } })
  }
  const product = await db.prisma.product.findFirstOrThrow()
  for (const name of ['live', 'idle']) {
    await db.prisma.cartItem.create({
      data: { sessionId: prefix + name, productId: product.id, quantity: 2, addedPriceCents: product.priceCents },
    })
  }
  const deleted = await sweepExpiredSessions(
    db,
    { idleSeconds: IDLE, maxSeconds: MAX, rememberMaxSeconds: REMEMBER },
    now,
  )
  assert.equal(deleted, 3)
  const left = await db.prisma.session.findMany({ where: { id: { startsWith: prefix } }, select: { id: true } })
  assert.deepEqual(left.map((row) => row.id.slice(prefix.length)).sort(), ['live', 'rememberedIdle'])
  const lines = await db.prisma.cartItem.findMany({ where: { sessionId: { startsWith: prefix } } })
  assert.deepEqual(
    lines.map((line) => line.sessionId),
    [`${prefix}live`],
  )
})
