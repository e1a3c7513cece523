import assert from 'node:assert/strict'
import { test } from 'node:test'
import { promisify } from 'node:util'
import type { Session } from 'fastify'
import { PostgresSessionStore } from '../../src/sessions/postgres-store.ts'
import {
  addToCart,
  cookieSessionIdOf,
  createAccount,
  createFileDatabase,
  sessionIdOf,
  signIn,
  uniqueEmail,
} from '../helpers/accounts.ts'
import { startApp } from '../helpers/app.ts'
import { onlyOnPostgres } from '../helpers/session-store.ts'
import { Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()

// These tests are about PostgresSessionStore itself; on Redis the app runs another store.
const PG_STORE = onlyOnPostgres('tests the PostgresSessionStore class')

async function storeWithSignedInSession(t: Parameters<typeof startApp>[0]) {
  const started = await startApp(t, { databaseUrl })
  const visitor = new Visitor(started.app)
  const email = uniqueEmail()
  await createAccount(started.db, email)
  await signIn(visitor, email)
  const store = new PostgresSessionStore(started.db, started.config.session, started.clock)
  return {
    ...started,
    email,
    // The store is handed the id in the cookie; the table is keyed by its hash.
    cookieId: cookieSessionIdOf(visitor) as string,
    rowId: sessionIdOf(visitor) as string,
    get: promisify(store.get.bind(store)) as (id: string) => Promise<Session | null>,
    set: promisify(store.set.bind(store)),
  }
}

test('a request still running when its session is signed out does not bring the session back', PG_STORE, async (t) => {
  const { db, cookieId, rowId, get, set } = await storeWithSignedInSession(t)
  const loaded = await get(cookieId)
  assert.ok(loaded)
  await db.prisma.session.delete({ where: { id: rowId } })
  await set(cookieId, Object.assign(loaded, { flash: 'Added to your cart.' }))
  assert.equal(await db.prisma.session.count({ where: { id: rowId } }), 0)
})

test('a loaded session carries the header data: the email and the cart count', PG_STORE, async (t) => {
  const { cookieId, email, get } = await storeWithSignedInSession(t)
  const loaded = await get(cookieId)
  assert.deepEqual(loaded?.viewer, { email, cartCount: 0 })
})

test('the header data is not written into the session row when it is saved', PG_STORE, async (t) => {
  const { db, cookieId, rowId, get, set } = await storeWithSignedInSession(t)
  const loaded = await get(cookieId)
  assert.ok(loaded)
  await set(cookieId, Object.assign(loaded, { flash: 'Saved.' }))
  const row = await db.prisma.session.findUniqueOrThrow({ where: { id: rowId } })
  assert.equal((row.data as { flash?: string }).flash, 'Saved.')
  assert.ok(!('viewer' in (row.data as object)), 'no viewer in the row')
  assert.ok(!JSON.stringify(row.data).includes('@x.test'), 'no email in the row')
})

test("a guest's cart count comes with the session, the account's once signed in", PG_STORE, async (t) => {
  const { app, db, config, clock } = await startApp(t, { databaseUrl })
  const store = new PostgresSessionStore(db, config.session, clock)
  const get = promisify(store.get.bind(store)) as (id: string) => Promise<Session | null>
  const visitor = new Visitor(app)
  await addToCart(visitor, 1)
  await addToCart(visitor, 1)
  assert.equal((await get(cookieSessionIdOf(visitor) as string))?.viewer?.cartCount, 2)
  const email = uniqueEmail()
  await createAccount(db, email)
  await signIn(visitor, email)
  assert.equal((await get(cookieSessionIdOf(visitor) as string))?.viewer?.cartCount, 2)
})

test('an unknown id loads as no session', PG_STORE, async (t) => {
  const { get } = await storeWithSignedInSession(t)
  assert.equal(await get('no-such-session-id-at-all'), null)
})
