import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startVisit } from '../helpers/app.ts'

test('pages carry a strict Content-Security-Policy with no inline script, and no X-Powered-By', async (t) => {
  const visit = await startVisit(t)
  const res = await visit.get('/')
  const csp = res.headers['content-security-policy'] as string
  assert.match(csp, /script-src 'self'/)
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/)
  assert.match(csp, /frame-ancestors 'none'/)
  assert.equal(res.headers['x-powered-by'], undefined)
  assert.equal(res.headers['x-content-type-options'], 'nosniff')
  assert.doesNotMatch(res.body, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in the page')
})

test('a request body over 1 MiB is answered 413 with a page, not a stack trace', async (t) => {
  const visit = await startVisit(t)
  const res = await visit.post('/cart/items', { productId: '1', padding: 'x'.repeat(1100 * 1024) })
  assert.equal(res.statusCode, 413)
  assert.match(res.body, /too large/)
  assert.doesNotMatch(res.body, /FST_|at \w+ \(/)
})

test('an unknown path answers the 404 page', async (t) => {
  const visit = await startVisit(t)
  const res = await visit.get('/no/such/page')
  assert.equal(res.statusCode, 404)
  assert.match(res.body, /<h1>Not found<\/h1>/)
})
