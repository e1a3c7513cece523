import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startVisit } from '../helpers/app.ts'
import { throttleFailures } from '../helpers/throttle-store.ts'

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

test('a malformed percent-encoding in the URL answers 400 with the error page and the security headers', async (t) => {
  const visit = await startVisit(t)
  const res = await visit.get('/products/%E0%A4%A')
  assert.equal(res.statusCode, 400)
  assert.match(res.headers['content-type'] as string, /text\/html/)
  assert.doesNotMatch(res.body, /FST_/)
  assert.match(res.headers['content-security-policy'] as string, /script-src 'self'/)
  assert.equal(res.headers['x-content-type-options'], 'nosniff')
  assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN')
})

test('an overlong id is an unknown id: the 404 page', async (t) => {
  const visit = await startVisit(t)
  for (const path of [`/products/${'9'.repeat(200)}`, `/products/${'x'.repeat(10_000)}`]) {
    const res = await visit.get(path)
    assert.equal(res.statusCode, 404, path.slice(0, 20))
    assert.match(res.body, /<h1>Not found<\/h1>/)
  }
})

test('without TRUST_PROXY a client cannot choose its address with X-Forwarded-For', async (t) => {
  const visit = await startVisit(t)
  await visit.submit('/login', { email: 'nobody@example.test', password: 'wrong password' })
  await visit.post(
    '/login',
    { email: 'nobody@example.test', password: 'x', _csrf: await visit.csrfToken('/login') },
    {
      'x-forwarded-for': '203.0.113.9',
    },
  )
  const keys = (await throttleFailures(visit)).map((failure) => failure.key).filter((key) => key.startsWith('ip:'))
  assert.deepEqual(keys, ['ip:127.0.0.1', 'ip:127.0.0.1'])
})

test('with TRUST_PROXY=1 the address comes from the proxy in front', async (t) => {
  const visit = await startVisit(t, { env: { TRUST_PROXY: '1' } })
  await visit.post(
    '/login',
    { email: 'nobody@example.test', password: 'x', _csrf: await visit.csrfToken('/login') },
    {
      'x-forwarded-for': '203.0.113.9',
    },
  )
  const [failure] = (await throttleFailures(visit)).filter((failure) => failure.key.startsWith('ip:'))
  assert.equal(failure?.key, 'ip:203.0.113.9')
})

test('the 404 page of an unknown address still shows who is signed in and the cart count', async (t) => {
  const visit = await startVisit(t)
  await visit.submit('/register', { email: 'nina@example.test', password: 'correct horse battery' })
  await visit.submit('/', { productId: '1', quantity: '2' }, '/cart/items')
  const res = await visit.get('/no/such/page')
  assert.equal(res.statusCode, 404)
  assert.match(res.body, /nina@example\.test/)
  assert.match(res.body, /data-testid="cart-count"[^>]*>2</)
})

test('the Referer is kept to this site: Referrer-Policy same-origin', async (t) => {
  const visit = await startVisit(t)
  assert.equal((await visit.get('/')).headers['referrer-policy'], 'same-origin')
})
