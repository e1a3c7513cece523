import assert from 'node:assert/strict'
import { test } from 'node:test'
import { safeNextPath } from '../../src/auth/next-path.ts'
import { createAccount, createFileDatabase, PASSWORD, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'

const databaseUrl = await createFileDatabase()

const LOCAL_PATHS = [
  '/',
  '/orders',
  '/orders/12',
  '/cart?coupon=a%20b',
  '/account/sessions#current',
  // Percent-encoded slashes are a path on this site (a 404 at worst), not another host.
  '/%2F%2Fevil.test',
  '/.//evil.test',
  '/javascript:alert(1)',
]

const LEAVING_PATHS = [
  '',
  'orders',
  '//evil.test',
  '//evil.test/account',
  '/\\evil.test',
  '\\\\evil.test',
  '/orders\\..\\..\\evil',
  'https://evil.test',
  'http:evil.test',
  'http:/evil.test',
  'javascript:alert(1)',
  'data:text/html,hi',
  '\t//evil.test',
  '/\t/evil.test',
  '/\n/evil.test',
  '/\r\nSet-Cookie: sid=planted',
  '/\u0000',
  '/x\u007f',
  ' /orders',
  '/\u2028/evil.test',
  '/\u00a0/evil.test',
  '/\u65e5\u672c',
  `/${'a'.repeat(3000)}`,
]

for (const path of LOCAL_PATHS) {
  test(`the local path ${JSON.stringify(path)} is kept as it is`, () => {
    assert.equal(safeNextPath(path), path)
  })
}

for (const path of LEAVING_PATHS) {
  test(`${JSON.stringify(path.slice(0, 40))} is replaced by the account page`, () => {
    assert.equal(safeNextPath(path), '/account')
  })
}

test('anything but a string is replaced by the fallback the caller names', () => {
  for (const value of [undefined, null, 42, ['/orders'], { path: '/orders' }]) {
    assert.equal(safeNextPath(value, '/cart'), '/cart')
  }
})

const SIGN_IN_CASES: [string, string][] = [
  ['//evil.test', '/account'],
  ['/\\evil.test', '/account'],
  ['https://evil.test', '/account'],
  ['http:evil.test', '/account'],
  ['\t//evil.test', '/account'],
  ['/\u0000', '/account'],
  ['javascript:alert(1)', '/account'],
  ['/\u2028/evil.test', '/account'],
  ['/\u65e5\u672c', '/account'],
  [`/${'a'.repeat(3000)}`, '/account'],
  ['/%2F%2Fevil.test', '/%2F%2Fevil.test'],
]

for (const [next, location] of SIGN_IN_CASES) {
  test(`signing in with next=${JSON.stringify(next.slice(0, 30))} lands on ${location.slice(0, 30)}`, async (t) => {
    const visit = await startVisit(t, { databaseUrl })
    const email = uniqueEmail()
    await createAccount(visit.db, email)
    const res = await signIn(visit, email, PASSWORD, { pageUrl: `/login?next=${encodeURIComponent(next)}` })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, location)
  })
}

test('next encoded in the query (%2F%2Fevil.test) is decoded once and refused', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const page = await visit.get('/login?next=%2F%2Fevil.test')
  assert.match(page.body, /name="next" value="\/\/evil\.test"/)
  const res = await signIn(visit, email, PASSWORD, { pageUrl: '/login?next=%2F%2Fevil.test' })
  assert.equal(res.headers.location, '/account')
})

test('a next field posted by hand is checked like one from the query', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const token = await visit.csrfToken('/login')
  const res = await visit.post('/login', { _csrf: token, email, password: PASSWORD, next: '//evil.test' })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account')
})
