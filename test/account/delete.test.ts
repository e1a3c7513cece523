// Deleting the account: the email typed again; every session ends at once, the orders stay without the
// account, and the address may register again.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, createAccount, createFileDatabase, sessionIdOf, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { flashOf } from '../helpers/pages.ts'
import { countSessions } from '../helpers/session-store.ts'
import { Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()
const CONFIRM_SECONDS = 60

/** One account signed in on two clients; `visit` is the one that deletes it. */
async function twoClients(t: Parameters<typeof startVisit>[0]) {
  const visit = await startVisit(t, { databaseUrl, env: { CONFIRM_SECONDS: String(CONFIRM_SECONDS) } })
  const email = uniqueEmail()
  const user = await createAccount(visit.db, email)
  const other = new Visitor(visit.app)
  await signIn(visit, email)
  await signIn(other, email)
  return Object.assign(visit, { other, email, user })
}

test('deleting ends every session of the account at once, and says so on the catalog', async (t) => {
  const visit = await twoClients(t)
  const oldSid = sessionIdOf(visit)
  const res = await visit.submit('/account/delete', { email: visit.email })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/')
  assert.notEqual(sessionIdOf(visit), oldSid, 'the deleted session’s id is not kept')
  const home = await visit.get('/')
  assert.match(flashOf(home.body) ?? '', /Your account is deleted/)
  assert.equal((await visit.get('/account')).headers.location, '/login?next=%2Faccount')
  assert.equal((await visit.other.get('/account')).headers.location, '/login?next=%2Faccount')
  assert.equal(await countSessions(visit, { userId: visit.user.id }), 0)
  assert.equal(await visit.db.prisma.user.count({ where: { id: visit.user.id } }), 0)
})

test('the orders stay, tied to no account; the cart, tokens, passkeys and events go', async (t) => {
  const visit = await twoClients(t)
  const product = await visit.db.prisma.product.findFirstOrThrow({ orderBy: { id: 'asc' } })
  await addToCart(visit, product.id)
  const checkout = await visit.submit('/cart', {}, '/checkout')
  const orderId = Number(/\/orders\/(\d+)/.exec(checkout.headers.location as string)?.[1])
  assert.ok(orderId > 0, `checkout went to ${checkout.headers.location}`)
  await addToCart(visit, product.id)
  await visit.submit('/account/email', { new_email: uniqueEmail('new') })
  await visit.db.prisma.passkey.create({
    data: {
      userId: visit.user.id,
      credentialId: `c-${orderId}`,
      publicKey: new Uint8Array([1]),
      name: 'k',
      createdAt: new Date(),
    },
  })

  await visit.submit('/account/delete', { email: visit.email })
  const order = await visit.db.prisma.order.findUniqueOrThrow({ where: { id: orderId }, include: { lines: true } })
  assert.equal(order.userId, null)
  assert.equal(order.lines.length, 1)
  const where = { where: { userId: visit.user.id } }
  assert.equal(await visit.db.prisma.cartItem.count(where), 0)
  assert.equal(await visit.db.prisma.emailToken.count(where), 0)
  assert.equal(await visit.db.prisma.passkey.count(where), 0)
  assert.equal(await visit.db.prisma.securityEvent.count(where), 0)
})

test('the address may register again, as a new account that sees none of the old orders', async (t) => {
  const visit = await twoClients(t)
  await visit.submit('/account/delete', { email: visit.email })
  const again = new Visitor(visit.app)
  const res = await again.submit('/register', { email: visit.email, password: 'a fresh long passphrase' })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account')
  const orders = await again.get('/orders')
  assert.doesNotMatch(orders.body, /Order #/)
})

test('a wrong typed email is 400 with a message and deletes nothing', async (t) => {
  const visit = await twoClients(t)
  for (const typed of [uniqueEmail('someone-else'), '', 'a\u0000b']) {
    const res = await visit.submit('/account/delete', { email: typed })
    assert.equal(res.statusCode, 400, JSON.stringify(typed))
    assert.match(res.body, /class="field-error" id="email-error"/)
  }
  assert.equal(await visit.db.prisma.user.count({ where: { id: visit.user.id } }), 1)
  assert.equal((await visit.other.get('/account')).statusCode, 200)
})

test('the typed email is trimmed and compared without regard to case', async (t) => {
  const visit = await twoClients(t)
  const res = await visit.submit('/account/delete', { email: `  ${visit.email.toUpperCase()} ` })
  assert.equal(res.statusCode, 303)
  assert.equal(await visit.db.prisma.user.count({ where: { id: visit.user.id } }), 0)
})

test('with a stale confirmation, deleting goes to the confirm page and deletes nothing', async (t) => {
  const visit = await twoClients(t)
  const token = await visit.csrfToken('/account/delete')
  visit.clock.advance(CONFIRM_SECONDS + 1)
  assert.equal((await visit.get('/account/delete')).headers.location, '/account/confirm?next=%2Faccount%2Fdelete')
  const res = await visit.post('/account/delete', { _csrf: token, email: visit.email })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account/confirm?next=%2Faccount%2Fdelete')
  assert.equal(await visit.db.prisma.user.count({ where: { id: visit.user.id } }), 1)
})

test('another account’s order is still 404 after an account is deleted', async (t) => {
  const visit = await twoClients(t)
  const product = await visit.db.prisma.product.findFirstOrThrow({ orderBy: { id: 'asc' } })
  await addToCart(visit, product.id)
  const checkout = await visit.submit('/cart', {}, '/checkout')
  await visit.submit('/account/delete', { email: visit.email })
  const stranger = new Visitor(visit.app)
  const email = uniqueEmail('stranger')
  await createAccount(visit.db, email)
  await signIn(stranger, email)
  assert.equal((await stranger.get(checkout.headers.location as string)).statusCode, 404)
})
