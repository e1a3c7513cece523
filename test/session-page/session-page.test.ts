import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Signer } from '@fastify/cookie'
import { keysFor } from '../../src/plugins/secrets.ts'
import { formatDateTime } from '../../src/shared/dates.ts'
import {
  addToCart,
  cookieSessionIdOf,
  createAccount,
  createFileDatabase,
  PASSWORD,
  signIn,
  uniqueEmail,
} from '../helpers/accounts.ts'
import { startVisit, TEST_SECRET } from '../helpers/app.ts'
import { setCookieOf } from '../helpers/pages.ts'
import { isRedisSuite } from '../helpers/session-store.ts'
import { sessionVersions } from '../helpers/session-writes.ts'
import { product } from '../helpers/shop-data.ts'
import { factOf } from './helpers.ts'

const databaseUrl = await createFileDatabase()

async function signedIn(t: Parameters<typeof startVisit>[0], remember: boolean, env: Record<string, string> = {}) {
  const visit = await startVisit(t, { databaseUrl, env })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const res = await signIn(visit, email, PASSWORD, { remember })
  assert.equal(res.statusCode, 303)
  return Object.assign(visit, { email, signInResponse: res })
}

test('a visitor with no session is told there is none and why, and the page sets no cookie and writes no row', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const before = await sessionVersions(visit)
  const res = await visit.get('/session')
  assert.equal(res.statusCode, 200)
  assert.match(res.body, /You have no session\./)
  assert.match(res.body, /a visitor who only browses costs no database write/)
  assert.equal(res.headers['set-cookie'], undefined)
  assert.equal(res.headers['cache-control'], 'no-store')
  assert.equal(factOf(res.body, 'sid', 'Sent by your browser')?.value, 'No')
  assert.equal(factOf(res.body, 'csrf', 'Sent by your browser')?.value, 'No')
  assert.deepEqual(await sessionVersions(visit), before)
})

test('a browsing guest is shown the csrf cookie it holds, and still no session', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  await visit.get('/')
  const page = (await visit.get('/session')).body
  assert.equal(factOf(page, 'csrf', 'Sent by your browser')?.value, 'Yes')
  assert.equal(factOf(page, 'sid', 'Sent by your browser')?.value, 'No')
  assert.match(page, /You have no session\./)
})

test('a sid cookie with no live session behind it is shown as sent, and as no session', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  await addToCart(visit, (await product(visit.db, 'camp-mug')).id)
  visit.clock.advance(1800)
  const page = (await visit.get('/session')).body
  assert.equal(factOf(page, 'sid', 'Sent by your browser')?.value, 'Yes')
  assert.equal(factOf(page, 'sid', 'Value')?.value, 'An id with no live session')
  assert.match(page, /has no live session behind it, so it counts as none/)
})

test("a guest with a cart sees the session's start, its id's first 8 characters and its lines", async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  await addToCart(visit, (await product(visit.db, 'camp-mug')).id, 2)
  await visit.get('/') // where the add's redirect goes, and its message is shown
  const before = await sessionVersions(visit)
  const res = await visit.get('/session')
  const id = cookieSessionIdOf(visit) as string
  assert.equal(factOf(res.body, 'sid', 'Value')?.value, `${id.slice(0, 8)}…`)
  assert.equal(factOf(res.body, 'server', 'Whose')?.value, 'A guest: nobody is signed in')
  const keptIn = isRedisSuite ? 'Redis, one hash per session (SESSION_REDIS_URL)' : 'PostgreSQL, the Session table'
  assert.equal(factOf(res.body, 'server', 'Kept in')?.value, keptIn)
  assert.equal(factOf(res.body, 'server', 'Began')?.value, '15 Jan 2026, 10:00 UTC')
  assert.match(res.body, /<li>2 × Enamel Camp Mug<\/li>/)
  assert.match(res.body, /they end with it, and join your account’s cart when you sign in/)
  assert.equal(res.headers['set-cookie'], undefined)
  assert.deepEqual(await sessionVersions(visit), before, 'looking at the page writes nothing')
})

test('a session signed in without remember ends at its idle limit, and its cookie with the browser', async (t) => {
  const visit = await signedIn(t, false)
  visit.clock.advance(5 * 60)
  const page = (await visit.get('/session')).body
  assert.equal(factOf(page, 'server', 'Whose')?.value, visit.email)
  assert.equal(factOf(page, 'server', 'Remembered')?.value, 'No')
  assert.equal(factOf(page, 'server', 'Last seen')?.value, '15 Jan 2026, 10:05 UTC')
  const ends = factOf(page, 'server', 'Ends')
  assert.equal(ends?.value, '15 Jan 2026, 10:35 UTC (in 30 minutes)')
  assert.match(ends?.note ?? '', /^Idle limit: 30 minutes after the last request recorded/)
  assert.equal(factOf(page, 'sid', 'Expires')?.value, 'None: it ends when the browser closes')
})

test('a session that reaches SESSION_MAX_SECONDS before its idle limit says it ends at the absolute limit', async (t) => {
  const visit = await signedIn(t, false, { SESSION_MAX_SECONDS: '600' })
  const ends = factOf((await visit.get('/session')).body, 'server', 'Ends')
  assert.equal(ends?.value, '15 Jan 2026, 10:10 UTC (in 10 minutes)')
  assert.match(ends?.note ?? '', /^Absolute limit: 10 minutes after it began/)
})

test('a remembered session ends REMEMBER_MAX_SECONDS after sign-in, and its cookie then too', async (t) => {
  const visit = await signedIn(t, true)
  visit.clock.advance(2 * 3600)
  const page = (await visit.get('/session')).body
  assert.equal(factOf(page, 'server', 'Remembered')?.value, 'Yes')
  const ends = factOf(page, 'server', 'Ends')
  assert.equal(ends?.value, '14 Feb 2026, 10:00 UTC (in 29 days 22 hours)')
  assert.match(ends?.note ?? '', /^Remember limit: 30 days after sign-in/)
  const expires = setCookieOf(visit.signInResponse, 'sid')?.expires
  assert.ok(expires, 'the remembered cookie has an Expires')
  assert.equal(factOf(page, 'sid', 'Expires')?.value, formatDateTime(expires))
})

test('the page never shows the whole session id, its signature, nor the CSRF secret', async (t) => {
  const visit = await signedIn(t, false)
  const page = (await visit.get('/session')).body
  const id = cookieSessionIdOf(visit) as string
  const sid = visit.cookies.get('sid') as string
  const csrfCookie = new Signer(keysFor([TEST_SECRET], 'csrf cookie')).unsign(visit.cookies.get('csrf') as string)
  const [csrfSecret = ''] = csrfCookie.value?.split('.') ?? []
  assert.ok(page.includes(id.slice(0, 8)))
  assert.ok(!page.includes(id.slice(0, 9)), 'not even a 9th character of the id')
  assert.ok(!page.includes(sid.slice(sid.lastIndexOf('.') + 1)), 'the signature')
  assert.ok(csrfSecret.length >= 16 && !page.includes(csrfSecret), 'the CSRF secret')
})

test('the flags the page lists for sid are the ones its Set-Cookie carried', async (t) => {
  const visit = await signedIn(t, false)
  const cookie = setCookieOf(visit.signInResponse, 'sid')
  const page = (await visit.get('/session')).body
  assert.equal(factOf(page, 'sid', 'HttpOnly')?.value === 'Yes', cookie?.httpOnly === true)
  assert.equal(factOf(page, 'sid', 'SameSite=Lax')?.value === 'Yes', cookie?.sameSite === 'Lax')
  assert.equal(factOf(page, 'sid', 'Path=/')?.value === 'Yes', cookie?.path === '/')
  assert.equal(factOf(page, 'sid', 'Secure')?.value === 'Yes', cookie?.secure === true)
})

test('in production the page says both cookies are Secure', async (t) => {
  const visit = await startVisit(t, {
    databaseUrl,
    env: {
      NODE_ENV: 'production',
      SESSION_SECRET: TEST_SECRET,
      MAIL_URL: 'smtp://127.0.0.1:9',
      PUBLIC_URL: 'https://shop.example.com',
    },
  })
  const page = (await visit.get('/session')).body
  assert.equal(factOf(page, 'sid', 'Secure')?.value, 'Yes')
  assert.equal(factOf(page, 'csrf', 'Secure')?.value, 'Yes')
})

test("every page's footer links to the session page", async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  for (const url of ['/', '/cart', '/login', '/no-such-page']) {
    assert.match((await visit.get(url)).body, /<a href="\/session">See your own session<\/a>/, url)
  }
})
