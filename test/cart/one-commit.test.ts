// On PostgreSQL an add to the cart and the message it leaves land in one commit: the add's statement writes the
// line and the session's flash, and the session's own save then has nothing left to write.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Database } from '../../src/db/client.ts'
import { addToCart, createFileDatabase, sessionIdOf, startSignedInVisit } from '../helpers/accounts.ts'
import { flashOf } from '../helpers/pages.ts'
import { onlyOnPostgres } from '../helpers/session-store.ts'
import { product } from '../helpers/shop-data.ts'

const databaseUrl = await createFileDatabase()
const onPostgres = onlyOnPostgres("Redis keeps the flash apart from the cart's rows")

/** The transactions that last wrote the session row and the account's line for the product. */
async function lastWriters(db: Database, sessionId: string, userId: number, productId: number) {
  const [row] = await db.prisma.$queryRaw<{ session: string; line: string }[]>`
    SELECT (SELECT xmin::text FROM "Session" WHERE id = ${sessionId}) AS session,
      (SELECT xmin::text FROM "CartItem" WHERE "userId" = ${userId} AND "productId" = ${productId}) AS line`
  assert.ok(row !== undefined)
  return row
}

test(
  'an add writes its line and its message in one transaction, and the next page shows the message',
  onPostgres,
  async (t) => {
    const visit = await startSignedInVisit(t, { databaseUrl })
    const mug = await product(visit.db, 'camp-mug')
    const csrfToken = await visit.csrfToken()
    const sessionId = sessionIdOf(visit) as string
    const before = await lastWriters(visit.db, sessionId, visit.user.id, mug.id)

    assert.equal((await addToCart(visit, mug.id, 1, { csrfToken })).statusCode, 303)
    const after = await lastWriters(visit.db, sessionId, visit.user.id, mug.id)
    assert.notEqual(after.session, before.session, 'the session row was written')
    assert.equal(after.line, after.session, 'the line and the session were written by one transaction')
    assert.equal(flashOf((await visit.get('/')).body), `Added ${mug.name} to your cart.`)

    // A second add of the same product (another message would be written; this one is the same text)
    // past the cap says so, written the same way.
    assert.equal((await addToCart(visit, mug.id, 99, { csrfToken })).statusCode, 303)
    const capped = await lastWriters(visit.db, sessionId, visit.user.id, mug.id)
    assert.equal(capped.line, capped.session)
    assert.match(flashOf((await visit.get('/cart')).body) ?? '', /99 is the most one cart can hold/)
  },
)

test('an add that is refused leaves no message behind', onPostgres, async (t) => {
  const visit = await startSignedInVisit(t, { databaseUrl })
  const csrfToken = await visit.csrfToken()
  const sessionId = sessionIdOf(visit) as string
  const [{ version: before } = { version: '' }] = await visit.db.prisma.$queryRaw<{ version: string }[]>`
    SELECT xmin::text AS version FROM "Session" WHERE id = ${sessionId}`
  assert.equal((await addToCart(visit, 999_999, 1, { csrfToken })).statusCode, 404)
  const [{ version: after } = { version: '' }] = await visit.db.prisma.$queryRaw<{ version: string }[]>`
    SELECT xmin::text AS version FROM "Session" WHERE id = ${sessionId}`
  assert.equal(after, before, 'the refused add wrote nothing to the session')
  assert.equal(flashOf((await visit.get('/')).body), null)
})
