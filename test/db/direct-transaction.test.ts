// db.sql.transaction (src/db/sql.ts): the direct path's transactions, which the sign-in throttle and the guest
// cart's merge run on. What it promises: all of the work or none of it, and its connection back in the pool.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openDatabase } from '../../src/db/client.ts'
import { text } from '../../src/db/decode.ts'
import { Prisma } from '../../src/generated/prisma/client.ts'
import { createTestDatabase } from '../helpers/database.ts'

const POOL_SIZE = 10

test('a direct transaction commits all of its work, or none of it when the work throws', async (t) => {
  const db = openDatabase(await createTestDatabase(t))
  t.after(() => db.close())
  const insert = (key: string) =>
    Prisma.sql`INSERT INTO "LoginFailure" (key, "failedAt") VALUES (${key}, ${new Date()})`
  const keys = () => db.sql.rows(Prisma.sql`SELECT key FROM "LoginFailure" ORDER BY key`, (row) => text(row, 'key'))

  await db.sql.transaction(async (tx) => {
    await tx.execute(insert('a'))
    await tx.execute(insert('b'))
  })
  const failed = db.sql.transaction(async (tx) => {
    await tx.execute(insert('c'))
    throw new Error('the work failed after its first statement')
  })
  await assert.rejects(failed, /the work failed/)
  // A statement that fails in the database rolls back what came before it too.
  const refused = db.sql.transaction(async (tx) => {
    await tx.execute(insert('d'))
    await tx.execute(Prisma.sql`SELECT 1 / 0`)
  })
  await assert.rejects(refused)
  assert.deepEqual(await keys(), ['a', 'b'])
})

test('failed direct transactions give their connections back: more of them than the pool holds, then a read', async (t) => {
  const db = openDatabase(await createTestDatabase(t))
  t.after(() => db.close())
  for (let attempt = 0; attempt < POOL_SIZE * 2; attempt++) {
    await assert.rejects(
      db.sql.transaction(async (tx) => {
        await tx.execute(Prisma.sql`SELECT 1 / 0`)
      }),
    )
  }
  // Each connection was left mid-transaction had ROLLBACK not run: this read would then fail ("current
  // transaction is aborted") or wait for a connection that never comes back.
  const answer = await db.sql.firstRow(Prisma.sql`SELECT 'still here' AS answer`, (row) => text(row, 'answer'))
  assert.equal(answer, 'still here')
  const inTransaction = await db.sql.firstRow(
    Prisma.sql`SELECT count(*)::text AS n FROM pg_stat_activity
      WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    (row) => text(row, 'n'),
  )
  assert.equal(inTransaction, '0')
})
