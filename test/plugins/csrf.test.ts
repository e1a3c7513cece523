import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  addToCart,
  createAccount,
  createFileDatabase,
  PASSWORD,
  sessionIdOf,
  signIn,
  uniqueEmail,
} from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { signedInEmailOf } from '../helpers/pages.ts'
import { countSessions, storedSessionOrThrow } from '../helpers/session-store.ts'
import { findForm, Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()

const REFUSED = /This form has expired or did not come from this site/

async function signedInVisit(t: Parameters<typeof startVisit>[0]) {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  const user = await createAccount(visit.db, email)
  await signIn(visit, email)
  return Object.assign(visit, { email, user })
}

/** The hidden fields of the first add-to-cart form on the catalog, as a page load gives them. */
async function addToCartFields(visitor: Visitor) {
  const form = findForm((await visitor.get('/')).body, '/cart/items')
  assert.ok(form)
  return form.fields
}

test('registering without a token is 403 and creates no account', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  await visit.get('/register')
  const email = uniqueEmail()
  const res = await visit.post('/register', { email, password: PASSWORD })
  assert.equal(res.statusCode, 403)
  assert.match(res.body, REFUSED)
  assert.equal(await visit.db.prisma.user.count({ where: { email } }), 0)
})

test('signing out without a token is 403 and the session goes on', async (t) => {
  const visit = await signedInVisit(t)
  const res = await visit.post('/logout', {})
  assert.equal(res.statusCode, 403)
  assert.equal(await countSessions(visit, { id: sessionIdOf(visit) }), 1)
  assert.equal((await visit.get('/account')).statusCode, 200)
})

test('adding to the cart without a token is 403 and adds nothing', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const { _csrf, ...fields } = await addToCartFields(visit)
  const sessionsBefore = await countSessions(visit)
  const res = await visit.post('/cart/items', fields)
  assert.equal(res.statusCode, 403)
  assert.equal(await countSessions(visit), sessionsBefore)
  assert.equal(visit.cookies.has('sid'), false)
})

test('changing the password without a token is 403 and changes nothing', async (t) => {
  const visit = await signedInVisit(t)
  const res = await visit.post('/account/password', { current_password: PASSWORD, new_password: 'a new password' })
  assert.equal(res.statusCode, 403)
  const user = await visit.db.prisma.user.findUniqueOrThrow({ where: { id: visit.user.id } })
  assert.equal(user.passwordHash, visit.user.passwordHash)
})

test('a token with no CSRF cookie beside it is 403', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const fields = await addToCartFields(visit)
  visit.cookies.delete('csrf')
  assert.equal((await visit.post('/cart/items', fields)).statusCode, 403)
})

test('a tampered CSRF cookie is 403', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const fields = await addToCartFields(visit)
  const cookie = visit.cookies.get('csrf') as string
  visit.cookies.set('csrf', `${cookie[0] === 'a' ? 'b' : 'a'}${cookie.slice(1)}`)
  assert.equal((await visit.post('/cart/items', fields)).statusCode, 403)
})

test("a token from another visitor's page is 403", async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const attacker = new Visitor(visit.app)
  const attackerFields = await addToCartFields(attacker)
  await visit.get('/')
  const res = await visit.post('/cart/items', attackerFields)
  assert.equal(res.statusCode, 403)
  assert.equal(visit.cookies.has('sid'), false)
})

test("a token from another signed-in account's page is 403", async (t) => {
  const visit = await signedInVisit(t)
  const other = new Visitor(visit.app)
  const otherEmail = uniqueEmail()
  await createAccount(visit.db, otherEmail)
  await signIn(other, otherEmail)
  const otherToken = await other.csrfToken('/account')
  const res = await visit.post('/logout', { _csrf: otherToken })
  assert.equal(res.statusCode, 403)
  assert.equal((await visit.get('/account')).statusCode, 200)
})

test('a random or empty token is 403', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const fields = await addToCartFields(visit)
  for (const _csrf of ['', 'x', 'a'.repeat(5000), `${fields._csrf}x`, ['one', 'two']]) {
    assert.equal((await visit.post('/cart/items', { ...fields, _csrf })).statusCode, 403, JSON.stringify(_csrf))
  }
})

test('one token works for several posts of its session', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const fields = await addToCartFields(visit)
  for (let i = 0; i < 3; i++) assert.equal((await visit.post('/cart/items', fields)).statusCode, 303)
})

test('tokens from two tabs of one session both work', async (t) => {
  const visit = await signedInVisit(t)
  const firstTab = await addToCartFields(visit)
  const secondTab = await addToCartFields(visit)
  assert.notEqual(firstTab._csrf, secondTab._csrf)
  assert.equal((await visit.post('/cart/items', secondTab)).statusCode, 303)
  assert.equal((await visit.post('/cart/items', firstTab)).statusCode, 303)
})

test('parallel posts with one token all work', async (t) => {
  const visit = await signedInVisit(t)
  const fields = await addToCartFields(visit)
  const responses = await Promise.all(Array.from({ length: 6 }, () => visit.post('/cart/items', fields)))
  assert.deepEqual(
    responses.map((res) => res.statusCode),
    Array(6).fill(303),
  )
})

test('a token from before sign-in is refused after it: tokens belong to who is signed in', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const guestFields = await addToCartFields(visit)
  await signIn(visit, email)
  assert.equal((await visit.post('/cart/items', guestFields)).statusCode, 403)
  assert.equal((await visit.post('/cart/items', await addToCartFields(visit))).statusCode, 303)
})

test('a token of a signed-out session is refused', async (t) => {
  const visit = await signedInVisit(t)
  const signedInToken = await visit.csrfToken('/account')
  await visit.post('/logout', { _csrf: signedInToken })
  const guestFields = await addToCartFields(visit)
  assert.equal((await visit.post('/cart/items', { ...guestFields, _csrf: signedInToken })).statusCode, 403)
})

test('a token of an earlier session of the same account is refused', async (t) => {
  const visit = await signedInVisit(t)
  const earlierToken = await visit.csrfToken('/account')
  await visit.post('/logout', { _csrf: earlierToken })
  await signIn(visit, visit.email)
  assert.equal(signedInEmailOf((await visit.get('/')).body), visit.email)
  const res = await visit.post('/logout', { _csrf: earlierToken })
  assert.equal(res.statusCode, 403)
  assert.equal((await visit.get('/account')).statusCode, 200)
})

test('a token keeps working after the password is changed in the same session', async (t) => {
  const visit = await signedInVisit(t)
  const token = await visit.csrfToken('/account/password')
  const change = await visit.post('/account/password', {
    _csrf: token,
    current_password: PASSWORD,
    new_password: 'a brand new password',
  })
  assert.equal(change.statusCode, 303)
  assert.equal((await visit.post('/logout', { _csrf: token })).statusCode, 303)
})

test('every other form of a signed-in account without a token is 403 and changes nothing', async (t) => {
  const visit = await signedInVisit(t)
  assert.equal((await addToCart(visit, 1)).statusCode, 303)
  const otherDevice = new Visitor(visit.app)
  await signIn(otherDevice, visit.email)
  const other = await storedSessionOrThrow(visit, sessionIdOf(otherDevice))
  const snapshot = async () => ({
    sessions: await countSessions(visit),
    orders: await visit.db.prisma.order.count(),
    cart: await visit.db.prisma.cartItem.findMany({ select: { productId: true, quantity: true } }),
  })
  const before = await snapshot()
  const productId = String(before.cart[0]?.productId)
  for (const [path, fields] of [
    ['/checkout', {}],
    ['/account/sessions/others/delete', {}],
    [`/account/sessions/${other.publicId}/delete`, {}],
    [`/cart/items/${productId}`, { quantity: '5' }],
    [`/cart/items/${productId}/delete`, {}],
    ['/login', { email: visit.email, password: PASSWORD }],
  ] as const) {
    const res = await visit.post(path, fields)
    assert.equal(res.statusCode, 403, path)
    assert.deepEqual(await snapshot(), before, path)
  }
  assert.equal((await otherDevice.get('/account')).statusCode, 200, 'the other device is still signed in')
})

test('every first-time guest gets a CSRF secret and binding of its own, 144 random bits each', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const parts = new Set<string>()
  const GUESTS = 300 // more than the random pool holds, so that it is refilled along the way
  for (let guest = 0; guest < GUESTS; guest++) {
    const visitor = new Visitor(visit.app)
    await visitor.get('/')
    // The cookie is `<secret>.<binding>.<signature>`, the signature of the first two.
    const [secret = '', binding = ''] = (visitor.cookies.get('csrf') ?? '').split('.')
    for (const part of [secret, binding]) {
      assert.match(part, /^[\w-]{24}$/)
      parts.add(part)
    }
  }
  assert.equal(parts.size, 2 * GUESTS, 'no secret or binding is given twice')
})
