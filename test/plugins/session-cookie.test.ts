import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Signer } from '@fastify/cookie'
import { keysFor } from '../../src/plugins/secrets.ts'
import { hashSessionId } from '../../src/sessions/ids.ts'
import {
  addToCart,
  cookieSessionIdOf,
  createAccount,
  createFileDatabase,
  PASSWORD,
  sessionIdOf,
  signIn,
  uniqueEmail,
} from '../helpers/accounts.ts'
import { startVisit, TEST_SECRET } from '../helpers/app.ts'
import { setCookieOf, signedInEmailOf } from '../helpers/pages.ts'
import { countSessions, storedSession, storedSessionOrThrow } from '../helpers/session-store.ts'
import { Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()

const REMEMBER_MAX_SECONDS = 7 * 24 * 3600
const sessionSigner = new Signer(keysFor([TEST_SECRET], 'session cookie'))
const rawSetCookie = (res: { headers: Record<string, unknown> }, name: string) =>
  ([res.headers['set-cookie']].flat() as string[]).find((header) => header.startsWith(`${name}=`))

// Production needs a mail server and a public origin; nothing here sends mail.
const PRODUCTION_MAIL = { MAIL_URL: 'smtp://127.0.0.1:9', PUBLIC_URL: 'https://shop.example.com' }

test('the session cookie is HttpOnly, SameSite=Lax, Path=/ and ends with the browser', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const res = await signIn(visit, email)
  const cookie = setCookieOf(res, 'sid')
  assert.ok(cookie)
  assert.equal(cookie.httpOnly, true)
  assert.equal(cookie.sameSite, 'Lax')
  assert.equal(cookie.path, '/')
  assert.equal(cookie.expires, undefined)
  assert.equal(cookie.maxAge, undefined)
  assert.equal(cookie.secure, undefined, 'not Secure outside production')
})

test('a remembered sign-in keeps the cookie for REMEMBER_MAX_SECONDS', async (t) => {
  const visit = await startVisit(t, { databaseUrl, env: { REMEMBER_MAX_SECONDS: String(REMEMBER_MAX_SECONDS) } })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const res = await signIn(visit, email, PASSWORD, { remember: true })
  const cookie = setCookieOf(res, 'sid')
  assert.ok(cookie?.expires, 'the cookie has an Expires')
  const lifetimeSeconds = (cookie.expires.getTime() - Date.now()) / 1000
  assert.ok(Math.abs(lifetimeSeconds - REMEMBER_MAX_SECONDS) < 120, `expires in ${lifetimeSeconds} s`)
  assert.equal(cookie.httpOnly, true)
  const session = await storedSessionOrThrow(visit, sessionIdOf(visit))
  assert.equal(session.isRemembered, true)
  assert.equal(session.expiresAt.getTime(), visit.clock.now().getTime() + REMEMBER_MAX_SECONDS * 1000)
})

test('signing in again without remember, over a remembered session, gives a cookie that ends with the browser', async (t) => {
  const visit = await startVisit(t, { databaseUrl, env: { REMEMBER_MAX_SECONDS: String(REMEMBER_MAX_SECONDS) } })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  assert.ok(setCookieOf(await signIn(visit, email, PASSWORD, { remember: true }), 'sid')?.expires)
  const again = setCookieOf(await signIn(visit, email), 'sid')
  assert.ok(again, 'a new session cookie')
  assert.equal(again.expires, undefined)
  assert.equal(again.maxAge, undefined)
  const session = await storedSessionOrThrow(visit, sessionIdOf(visit))
  assert.equal(session.isRemembered, false)
})

test('the cookie holds a signed id of at least 128 random bits and nothing else', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await signIn(visit, email)
  const other = new Visitor(visit.app)
  await signIn(other, email)
  const [first, second] = [visit.cookies.get('sid') as string, other.cookies.get('sid') as string]
  for (const value of [first, second]) {
    const unsigned = visit.app.unsignCookie(value)
    assert.equal(unsigned.valid, true)
    // base64url: 6 bits a character, so 22 characters carry at least 128 bits.
    assert.match(unsigned.value as string, /^[A-Za-z0-9_-]{22,}$/)
  }
  assert.notEqual(first, second)
  assert.ok(!first.includes(email) && !decodeURIComponent(first).includes(email))
})

test('in production the session cookie is Secure when the request came over https', async (t) => {
  const env = { NODE_ENV: 'production', SESSION_SECRET: TEST_SECRET, ...PRODUCTION_MAIL, TRUST_PROXY: '1' }
  const visit = await startVisit(t, { databaseUrl, env })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  // Behind the load balancer that ends TLS (TRUST_PROXY=1): its X-Forwarded-Proto makes the request https.
  const res = await signIn(visit, email, PASSWORD, { headers: { 'x-forwarded-proto': 'https' } })
  assert.equal(res.statusCode, 303)
  const cookie = setCookieOf(res, '__Host-sid')
  assert.ok(cookie)
  assert.equal(cookie.secure, true)
  assert.equal(cookie.httpOnly, true)
  assert.equal(cookie.sameSite, 'Lax')
  assert.match(rawSetCookie(res, '__Host-sid') as string, /; Secure/)
})

test('in production the CSRF cookie is Secure too', async (t) => {
  const env = { NODE_ENV: 'production', SESSION_SECRET: TEST_SECRET, ...PRODUCTION_MAIL, TRUST_PROXY: '1' }
  const visit = await startVisit(t, { databaseUrl, env })
  const csrf = setCookieOf(await visit.get('/login', { 'x-forwarded-proto': 'https' }), '__Host-csrf')
  assert.equal(csrf?.secure, true)
})

test('in production a sign-in over plain http sets no session cookie, so the session id never travels in clear', async (t) => {
  const visit = await startVisit(t, {
    databaseUrl,
    env: { NODE_ENV: 'production', SESSION_SECRET: TEST_SECRET, ...PRODUCTION_MAIL },
  })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const res = await signIn(visit, email)
  assert.equal(res.statusCode, 303)
  assert.equal(setCookieOf(res, '__Host-sid'), undefined)
  assert.equal(setCookieOf(res, 'sid'), undefined)
})

test('the CSRF cookie is HttpOnly, SameSite=Lax, Path=/ and signed with a key of its own', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const res = await visit.get('/login')
  const cookie = setCookieOf(res, 'csrf')
  assert.ok(cookie)
  assert.equal(cookie.httpOnly, true)
  assert.equal(cookie.sameSite, 'Lax')
  assert.equal(cookie.path, '/')
  assert.equal(new Signer(keysFor([TEST_SECRET], 'csrf cookie')).unsign(cookie.value).valid, true)
  assert.equal(sessionSigner.unsign(cookie.value).valid, false, 'not a valid session cookie signature')
})

test('a browsing guest gets no session row and no session cookie', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const sessionsBefore = await countSessions(visit)
  for (const url of ['/', '/products/1', '/cart', '/login', '/register', '/', '/products/2', '/cart']) {
    const res = await visit.get(url)
    assert.equal(res.statusCode, 200)
    assert.equal(setCookieOf(res, 'sid'), undefined, url)
  }
  assert.equal(await countSessions(visit), sessionsBefore)
})

test("a guest's first cart line starts the session: one row and one cookie", async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const res = await addToCart(visit, 1)
  assert.equal(res.statusCode, 303)
  const session = await storedSessionOrThrow(visit, sessionIdOf(visit))
  assert.equal(session.userId, null)
  assert.equal(await visit.db.prisma.cartItem.count({ where: { sessionId: session.id } }), 1)
})

// What an attacker or a broken client might send as `sid`; each must be the same as no cookie at all.
const forgedCookies: [string, (realCookie: string, realId: string) => string][] = [
  ['a tampered signature', (cookie) => `${cookie.slice(0, -2)}${cookie.endsWith('AA') ? 'BB' : 'AA'}`],
  ['a tampered id', (cookie) => `${cookie[0] === 'a' ? 'b' : 'a'}${cookie.slice(1)}`],
  ['the id without its signature', (_cookie, id) => id],
  [
    'the id signed with another secret',
    (_cookie, id) => new Signer('another-secret-of-at-least-32-characters!!').sign(id),
  ],
  [
    'the id signed with SESSION_SECRET itself, not the key derived from it',
    (_cookie, id) => new Signer(TEST_SECRET).sign(id),
  ],
  [
    'the id signed with the CSRF cookie key',
    (_cookie, id) => new Signer(keysFor([TEST_SECRET], 'csrf cookie')).sign(id),
  ],
  ['the row id (the hash of the id), signed', (_cookie, id) => sessionSigner.sign(hashSessionId(id))],
  ['garbage', () => 'not a session id at all'],
  ['broken percent-encoding', () => '%E0%A4%A'],
  ['an empty value', () => ''],
  ['4 KB of letters', () => 'a'.repeat(4096)],
  ['4 KB signed', () => sessionSigner.sign('a'.repeat(4096))],
]

for (const [kind, forge] of forgedCookies) {
  test(`a sid cookie with ${kind} is treated as no session`, async (t) => {
    const visit = await startVisit(t, { databaseUrl })
    const email = uniqueEmail()
    await createAccount(visit.db, email)
    await signIn(visit, email)
    const forged = new Visitor(visit.app)
    forged.cookies.set('sid', forge(visit.cookies.get('sid') as string, cookieSessionIdOf(visit) as string))
    const sessionsBefore = await countSessions(visit)
    const home = await forged.get('/')
    assert.equal(home.statusCode, 200)
    assert.equal(signedInEmailOf(home.body), null)
    const account = await forged.get('/account')
    assert.equal(account.statusCode, 303)
    assert.equal(account.headers.location, '/login?next=%2Faccount')
    assert.equal(await countSessions(visit), sessionsBefore, 'no row is created')
  })
}

test('an unknown but validly signed id is never taken up, even when the visitor adds to the cart', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const plantedId = 'x'.repeat(32)
  visit.cookies.set('sid', visit.app.signCookie(plantedId))
  assert.equal((await visit.get('/')).statusCode, 200)
  const res = await addToCart(visit, 1)
  assert.equal(res.statusCode, 303)
  assert.equal(await countSessions(visit, { id: hashSessionId(plantedId) }), 0)
  assert.notEqual(cookieSessionIdOf(visit), plantedId)
  assert.ok(await storedSession(visit, sessionIdOf(visit)), 'a fresh session holds the cart')
})

test('the cookie of an unknown session is cleared in the response', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  visit.cookies.set('sid', visit.app.signCookie('y'.repeat(32)))
  const res = await visit.get('/')
  const cleared = setCookieOf(res, 'sid')
  assert.ok(cleared)
  assert.equal(cleared.value, '')
  assert.equal(visit.cookies.has('sid'), false)
})
