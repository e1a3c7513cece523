// In production the cookies are `__Host-sid` and `__Host-csrf`: Secure, Path=/ and no Domain, so a sibling
// subdomain cannot plant them.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createAccount, createFileDatabase, PASSWORD, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit, TEST_SECRET } from '../helpers/app.ts'

const databaseUrl = await createFileDatabase()

const PRODUCTION = {
  NODE_ENV: 'production',
  SESSION_SECRET: TEST_SECRET,
  TRUST_PROXY: '1',
  MAIL_URL: 'smtp://127.0.0.1:9',
  PUBLIC_URL: 'https://shop.example.com',
}
// Behind the load balancer that ends TLS.
const HTTPS = { 'x-forwarded-proto': 'https' }

const setCookies = (res: { headers: Record<string, unknown> }) => [res.headers['set-cookie'] ?? []].flat() as string[]

function assertHostCookie(header: string | undefined, name: string) {
  assert.ok(header, `a ${name} cookie is set`)
  assert.ok(header.startsWith(`${name}=`))
  assert.match(header, /; Secure/)
  assert.match(header, /; Path=\/(;|$)/)
  assert.doesNotMatch(header, /; Domain=/i)
}

test('in production the session and CSRF cookies are __Host- cookies, and no plain ones are set', async (t) => {
  const visit = await startVisit(t, { databaseUrl, env: PRODUCTION })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const page = await visit.get('/login', HTTPS)
  assertHostCookie(
    setCookies(page).find((h) => h.startsWith('__Host-csrf=')),
    '__Host-csrf',
  )
  const res = await signIn(visit, email, PASSWORD, { headers: HTTPS })
  assert.equal(res.statusCode, 303)
  assertHostCookie(
    setCookies(res).find((h) => h.startsWith('__Host-sid=')),
    '__Host-sid',
  )
  assert.deepEqual([...visit.cookies.keys()].sort(), ['__Host-csrf', '__Host-sid'])
  assert.equal((await visit.get('/account', HTTPS)).statusCode, 200, 'the __Host-sid cookie signs the visitor in')
})

test('in production signing out clears __Host-sid with the attributes a browser needs to accept it', async (t) => {
  const visit = await startVisit(t, { databaseUrl, env: PRODUCTION })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await signIn(visit, email, PASSWORD, { headers: HTTPS })
  const token = /name="_csrf" value="([^"]+)"/.exec((await visit.get('/account', HTTPS)).body)?.[1] as string
  const res = await visit.post('/logout', { _csrf: token }, HTTPS)
  assert.equal(res.statusCode, 303)
  const cleared = setCookies(res).find((h) => h.startsWith('__Host-sid='))
  assertHostCookie(cleared, '__Host-sid')
  assert.match(cleared as string, /^__Host-sid=;/)
  assert.equal((await visit.get('/account', HTTPS)).statusCode, 303)
})

test('outside production the cookies are plain sid and csrf', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await signIn(visit, email)
  assert.deepEqual([...visit.cookies.keys()].sort(), ['csrf', 'sid'])
})
