// Every page for a signed-in visitor, and every cart page, is sent with Cache-Control: no-store; no page may
// be kept by a shared cache.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, createAccount, createFileDatabase, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'

const databaseUrl = await createFileDatabase()

const SIGNED_IN_PAGES = ['/', '/products/1', '/account', '/account/sessions', '/account/password', '/cart', '/orders']

test('every page a signed-in visitor sees is no-store, so none is shown again after signing out', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await signIn(visit, email)
  for (const url of SIGNED_IN_PAGES) {
    const res = await visit.get(url)
    assert.equal(res.statusCode, 200, url)
    assert.equal(res.headers['cache-control'], 'no-store', url)
  }
  const signOut = await visit.submit('/account', {}, '/logout')
  assert.equal(signOut.headers['cache-control'], 'no-store', 'the sign-out answer too')
  const after = await visit.get('/account')
  assert.equal(after.statusCode, 303)
  assert.doesNotMatch(String(after.headers['cache-control']), /public/)
})

test("the cart and the cart's error pages are no-store, for guests too", async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  assert.equal((await visit.get('/cart')).headers['cache-control'], 'no-store')
  await addToCart(visit, 1)
  assert.equal((await visit.get('/cart')).headers['cache-control'], 'no-store')
  const refused = await visit.submit('/cart', { quantity: '100' }, '/cart/items/1')
  assert.equal(refused.statusCode, 400)
  assert.equal(refused.headers['cache-control'], 'no-store')
})

test("a guest's other pages may be kept by the browser only, and checked again before each use", async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  for (const url of ['/', '/products/1', '/login', '/register', '/no-such-page']) {
    assert.equal((await visit.get(url)).headers['cache-control'], 'private, no-cache', url)
  }
})
