// A connection whose query ran past query_timeout must not be used again (src/db/client.ts, ClosedOnTimeoutClient):
// it still waits for the lost answer, and every later query on it would wait out the timeout too.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import pg from 'pg'
import { ClosedOnTimeoutClient } from '../../src/db/client.ts'

// With a timeout of its own long enough to outlast the lost query's answer.
const SELECT_ONE = { text: 'SELECT 1 AS one', query_timeout: 10_000 }

async function clientWithTimeout(t: test.TestContext, Client: typeof pg.Client) {
  const client = new Client({ connectionString: process.env.TEST_DATABASE_URL, query_timeout: 200 })
  await client.connect()
  t.after(() => client.end())
  return client
}

test('after a query times out, the next query on that connection fails at once instead of waiting behind it', async (t) => {
  const client = await clientWithTimeout(t, ClosedOnTimeoutClient)
  await assert.rejects(client.query('SELECT pg_sleep(1)'), /Query read timeout/)
  await assert.rejects(client.query(SELECT_ONE), /not queryable|Connection terminated/)
})

test('pg itself keeps that connection: its next query waits for the lost answer and then runs', async (t) => {
  const client = await clientWithTimeout(t, pg.Client)
  await assert.rejects(client.query('SELECT pg_sleep(1)'), /Query read timeout/)
  assert.equal((await client.query(SELECT_ONE)).rows[0]?.one, 1)
})
