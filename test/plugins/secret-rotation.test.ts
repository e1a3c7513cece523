// SESSION_SECRET_PREVIOUS: cookies and CSRF tokens signed with a retiring secret are still accepted, and the
// answer signs the cookies again with SESSION_SECRET.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { Signer } from '@fastify/cookie'
import { keysFor } from '../../src/plugins/secrets.ts'
import {
  addToCart,
  cookieSessionIdOf,
  createAccount,
  createFileDatabase,
  PASSWORD,
  signIn,
  uniqueEmail,
} from '../helpers/accounts.ts'
import { startApp, startVisit } from '../helpers/app.ts'
import { headerCount, setCookieOf, signedInEmailOf } from '../helpers/pages.ts'
import { findForm, Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()

const OLD = 'the-old-secret-that-is-being-retired-now'
const NEW = 'the-new-secret-that-signs-from-today-on!'

/** A visitor of an app with these secrets, holding `cookies` (a browser's jar across a redeploy). */
async function visitorOf(t: Parameters<typeof startApp>[0], env: Record<string, string>, cookies: Map<string, string>) {
  const { app } = await startApp(t, { databaseUrl, env })
  const visitor = new Visitor(app)
  for (const [name, value] of cookies) visitor.cookies.set(name, value)
  return visitor
}

/** Signed in (remembered), one line in the cart, and the catalog's add form as the old app rendered it. */
async function shopperUnderOldSecret(t: Parameters<typeof startApp>[0]) {
  const visit = await startVisit(t, { databaseUrl, env: { SESSION_SECRET: OLD } })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  assert.equal((await signIn(visit, email, PASSWORD, { remember: true })).statusCode, 303)
  const mug = await visit.db.prisma.product.findFirstOrThrow({ where: { slug: 'camp-mug' } })
  assert.equal((await addToCart(visit, mug.id)).statusCode, 303)
  const oldForm = findForm((await visit.get('/')).body, '/cart/items')
  assert.ok(oldForm)
  return { email, mug, oldForm, cookies: new Map(visit.cookies) }
}

test('after the secret is rotated, a signed-in shopper stays signed in with the cart, and gets re-signed cookies', async (t) => {
  const { email, cookies } = await shopperUnderOldSecret(t)
  const visitor = await visitorOf(t, { SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD }, cookies)
  const cart = await visitor.get('/cart')
  assert.equal(cart.statusCode, 200)
  assert.equal(signedInEmailOf(cart.body), email)
  assert.equal(headerCount(cart.body), 1)
  const sid = setCookieOf(cart, 'sid')
  const csrf = setCookieOf(cart, 'csrf')
  assert.ok(sid && csrf, 'both cookies are sent again')
  const id = cookieSessionIdOf(visitor) as string
  assert.equal(sid.value, new Signer(keysFor([NEW], 'session cookie')).sign(id), 'signed with the new secret')
  assert.equal(new Signer(keysFor([NEW], 'csrf cookie')).unsign(csrf.value).valid, true)
  assert.ok(sid.expires, 'a remembered session keeps its Expires')
  assert.equal(sid.httpOnly, true)
})

test('a form from a page rendered before the rotation still posts', async (t) => {
  const { oldForm, mug, cookies } = await shopperUnderOldSecret(t)
  const visitor = await visitorOf(t, { SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD }, cookies)
  const res = await visitor.post('/cart/items', { ...oldForm.fields, productId: String(mug.id) })
  assert.equal(res.statusCode, 303)
  assert.equal(headerCount((await visitor.get('/cart')).body), 2)
  // And the new page's token works too.
  assert.equal((await visitor.submit('/', { productId: String(mug.id) }, '/cart/items')).statusCode, 303)
})

test('once re-signed, the cookies work with the new secret alone; the old ones do not', async (t) => {
  const { email, cookies } = await shopperUnderOldSecret(t)
  const rotated = await visitorOf(t, { SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD }, cookies)
  await rotated.get('/')
  const retired = await visitorOf(t, { SESSION_SECRET: NEW }, rotated.cookies)
  assert.equal(signedInEmailOf((await retired.get('/')).body), email)
  const stale = await visitorOf(t, { SESSION_SECRET: NEW }, cookies)
  assert.equal(signedInEmailOf((await stale.get('/')).body), null)
  assert.equal((await stale.get('/account')).statusCode, 303)
})

test('with no secret retiring, a page sends no cookie again', async (t) => {
  const { cookies } = await shopperUnderOldSecret(t)
  const visitor = await visitorOf(t, { SESSION_SECRET: OLD }, cookies)
  const page = await visitor.get('/cart')
  assert.equal(page.statusCode, 200)
  assert.equal(setCookieOf(page, 'sid'), undefined)
  assert.equal(setCookieOf(page, 'csrf'), undefined)
})
