// A token is valid for its whole session and for no other, guests' sessions included: a guest's tokens are
// bound to a random value that the guest session takes over when it begins, and that no later session shares.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createAccount, createFileDatabase, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { findForm, type Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()

/** The catalog's first add-to-cart form, as a page load gives it (its token included). */
async function addForm(visitor: Visitor) {
  const form = findForm((await visitor.get('/')).body, '/cart/items')
  assert.ok(form)
  return form.fields
}

test('forms a guest opened before the first add keep working once that add starts the session', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const [firstTab, secondTab] = [await addForm(visit), await addForm(visit)]
  assert.equal((await visit.post('/cart/items', firstTab)).statusCode, 303)
  assert.ok(visit.cookies.has('sid'), 'the first add started a session')
  assert.equal((await visit.post('/cart/items', secondTab)).statusCode, 303)
  assert.equal((await visit.post('/cart/items', firstTab)).statusCode, 303)
  assert.equal(await visit.db.prisma.cartItem.count({ where: { sessionId: { not: null }, quantity: 3 } }), 1)
})

test("a token of a guest session that expired is refused in the browser's next guest session", async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  await visit.post('/cart/items', await addForm(visit))
  const earlier = await addForm(visit)
  assert.equal((await visit.post('/cart/items', earlier)).statusCode, 303, 'valid in its own session')
  visit.clock.advance(1800)
  assert.equal((await visit.get('/')).statusCode, 200)
  assert.equal(visit.cookies.has('sid'), false, 'the session has ended')
  assert.equal((await visit.post('/cart/items', earlier)).statusCode, 403, 'refused with no session')
  assert.equal(visit.cookies.has('sid'), false, 'and no session was started for it')
  assert.equal((await visit.post('/cart/items', await addForm(visit))).statusCode, 303, 'the next guest session')
  assert.equal((await visit.post('/cart/items', earlier)).statusCode, 403, 'refused in the next guest session')
})

test('a guest token from before a sign-in is refused after signing out', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await visit.post('/cart/items', await addForm(visit))
  const guestForm = await addForm(visit)
  await signIn(visit, email)
  assert.equal((await visit.submit('/account', {}, '/logout')).statusCode, 303)
  assert.equal((await visit.post('/cart/items', guestForm)).statusCode, 403)
  assert.equal((await visit.post('/cart/items', await addForm(visit))).statusCode, 303)
  assert.equal((await visit.post('/cart/items', guestForm)).statusCode, 403)
})

test('a token from a guest page with no session is refused after a sign-in and sign-out', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const beforeAnySession = await addForm(visit)
  await signIn(visit, email)
  await visit.submit('/account', {}, '/logout')
  assert.equal((await visit.post('/cart/items', beforeAnySession)).statusCode, 403)
})
