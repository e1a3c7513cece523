// The database never holds a secret that works on its own: a copy of the Session table signs nobody in.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  addToCart,
  cookieSessionIdOf,
  createAccount,
  createFileDatabase,
  sessionIdOf,
  signIn,
  uniqueEmail,
} from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { signedInEmailOf } from '../helpers/pages.ts'
import { storedSessionOrThrow, storedSessions } from '../helpers/session-store.ts'
import { Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()

/** Every text in a row, nested JSON included: what a copy of the table gives an attacker to try. */
function textsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  if (value instanceof Date || value === null || typeof value !== 'object') return []
  return Object.values(value).flatMap(textsOf)
}

test('the Session table holds the hash of the id in the cookie, never the id itself', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await signIn(visit, email)
  const cookieId = cookieSessionIdOf(visit) as string
  const row = await storedSessionOrThrow(visit, sessionIdOf(visit))
  assert.match(row.id, /^[0-9a-f]{64}$/)
  assert.ok(!JSON.stringify(row).includes(cookieId))
})

test('no value in a copy of the Session table, sent as the session cookie raw or signed, signs anyone in', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await signIn(visit, email, undefined, { remember: true })
  const guest = new Visitor(visit.app)
  await addToCart(guest, 1)
  const copy = await storedSessions(visit)
  const values = [...new Set(copy.flatMap(textsOf))]
  assert.ok(values.length >= 4, 'the copy has ids, public ids and data to try')
  for (const value of values) {
    for (const cookie of [value, visit.app.signCookie(value)]) {
      const attacker = new Visitor(visit.app)
      attacker.cookies.set('sid', cookie)
      const home = await attacker.get('/')
      assert.equal(signedInEmailOf(home.body), null, cookie)
      assert.match(home.body, /data-testid="cart-count"[^>]*>0</, cookie)
      assert.equal((await attacker.get('/account')).statusCode, 303, cookie)
    }
  }
  // The same check passes the real cookies: the attacker's failures are not the check's.
  assert.equal((await visit.get('/account')).statusCode, 200)
  assert.match((await guest.get('/')).body, /data-testid="cart-count"[^>]*>1</)
})

test("a guest's cart lines refer to the hashed id", async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  await addToCart(visit, 1)
  const lines = await visit.db.prisma.cartItem.findMany({ where: { sessionId: sessionIdOf(visit) } })
  assert.equal(lines.length, 1)
  assert.equal(await visit.db.prisma.cartItem.count({ where: { sessionId: cookieSessionIdOf(visit) } }), 0)
})
