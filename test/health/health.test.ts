import assert from 'node:assert/strict'
import { test } from 'node:test'
import { buildApp } from '../../src/app.ts'
import { startApp } from '../helpers/app.ts'

test('healthz answers 200 ok when the database answers', async (t) => {
  const { app } = await startApp(t)
  const res = await app.inject('/healthz')
  assert.equal(res.statusCode, 200)
  assert.deepEqual(res.json(), { status: 'ok' })
})

test('healthz answers 503 when the database cannot be reached, and pages a friendly 503', async (t) => {
  // Port 9 (discard) has no PostgreSQL: every connection is refused.
  const { app } = await startApp(t, { databaseUrl: 'postgresql://postgres@127.0.0.1:9/nowhere' })
  const health = await app.inject('/healthz')
  assert.equal(health.statusCode, 503)
  const page = await app.inject('/')
  assert.equal(page.statusCode, 503)
  assert.match(page.body, /cannot reach its database/)
  assert.doesNotMatch(page.body, /ECONNREFUSED|Prisma|at \w+ \(/)
})

test('a stopping instance answers healthz 503 at once and every page as usual, asking to close the connection', async (t) => {
  const { config } = await startApp(t)
  const app = await buildApp(config, { logger: false, drainGraceMs: 50 })
  const drained = app.drain()
  const health = await app.inject('/healthz')
  assert.equal(health.statusCode, 503)
  assert.deepEqual(health.json(), { status: 'stopping' })
  const page = await app.inject('/')
  assert.equal(page.statusCode, 200)
  assert.equal(page.headers.connection, 'close')
  await drained
})
