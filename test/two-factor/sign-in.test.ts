// Signing in with two-factor on: the password is only the first step, and the pending sign-in it leaves is no
// sign-in anywhere. A TOTP code (accepted once, even by two sessions at once) or a recovery code (spent)
// completes it with a new session id; 5 failures per account in 15 minutes are 429; after 5 minutes it is gone.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, createAccount, createFileDatabase, sessionIdOf, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { holdRowLock, untilSomeoneWaitsForALock } from '../helpers/locks.ts'
import { signedInEmailOf } from '../helpers/pages.ts'
import { countSessions } from '../helpers/session-store.ts'
import { Visitor } from '../helpers/visitor.ts'
import { totpCode, turnOn } from './helpers.ts'

const databaseUrl = await createFileDatabase()

/** An account with two-factor on, and a new visitor (another browser) who has not signed in yet. */
async function accountWithTwoFactor(t: Parameters<typeof startVisit>[0]) {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  const user = await createAccount(visit.db, email)
  await signIn(visit, email)
  const { secret, recoveryCodes } = await turnOn(visit)
  const browser = new Visitor(visit.app)
  const code = (stepsAway = 0) => totpCode(secret, visit.clock.now(), stepsAway)
  return { ...visit, visit, browser, email, user, secret, recoveryCodes, code }
}

/** The password step; asserts it leads to the second step. */
async function passwordStep(browser: Visitor, email: string, pageUrl = '/login') {
  const res = await signIn(browser, email, undefined, { pageUrl })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/login/two-factor')
}

test('with two-factor on, the right password leads to the code page and does not sign in', async (t) => {
  const { browser, email } = await accountWithTwoFactor(t)
  await passwordStep(browser, email)
  const page = await browser.get('/login/two-factor')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /name="code"/)
  assert.equal(signedInEmailOf(page.body), null)
  assert.equal((await browser.get('/account')).headers.location, '/login?next=%2Faccount')
})

test('the right code signs in with a new session id and goes to the next given at /login', async (t) => {
  const { browser, email, code, visit, user, app } = await accountWithTwoFactor(t)
  await passwordStep(browser, email, '/login?next=%2Forders')
  const pendingCookie = browser.cookies.header()
  const pendingId = sessionIdOf(browser)
  const res = await browser.submit('/login/two-factor', { code: code() })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/orders')
  assert.notEqual(sessionIdOf(browser), pendingId)
  assert.equal(signedInEmailOf((await browser.get('/account')).body), email)
  // The id from before the second step is dead: no row, and its cookie is a guest's.
  assert.equal(await countSessions(visit, { id: pendingId }), 0)
  const stale = await app.inject({ method: 'GET', url: '/account', headers: { cookie: pendingCookie } })
  assert.equal(stale.headers.location, '/login?next=%2Faccount')
  assert.equal(await countSessions(visit, { userId: user.id }), 2)
})

test('remember me, ticked at the password step, still holds after the second step', async (t) => {
  const { browser, email, code } = await accountWithTwoFactor(t)
  const page = await browser.get('/login')
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
  await browser.post('/login', { _csrf: csrf, email, password: 'correct horse battery staple', remember: '1' })
  const res = await browser.submit('/login/two-factor', { code: code() })
  assert.equal(res.statusCode, 303)
  const setCookie = [res.headers['set-cookie']].flat().find((line) => line?.startsWith('sid='))
  assert.match(setCookie ?? '', /Expires=/)
})

test('a wrong code is 401 with a message, and does not sign in', async (t) => {
  const { browser, email, code } = await accountWithTwoFactor(t)
  await passwordStep(browser, email)
  const wrong = code() === '000000' ? '111111' : '000000'
  for (const typed of [wrong, 'not-a-code', code(2)]) {
    const res = await browser.submit('/login/two-factor', { code: typed })
    assert.equal(res.statusCode, 401, typed)
    assert.match(res.body, /That code is not right/)
  }
  assert.equal((await browser.get('/account')).statusCode, 303)
})

test('a code is accepted once: after it signed in, it is refused (401), and so is the step before it', async (t) => {
  const { browser, email, code, app } = await accountWithTwoFactor(t)
  const used = code()
  const earlier = code(-1)
  await passwordStep(browser, email)
  assert.equal((await browser.submit('/login/two-factor', { code: used })).statusCode, 303)
  const other = new Visitor(app)
  await passwordStep(other, email)
  const replay = await other.submit('/login/two-factor', { code: used })
  assert.equal(replay.statusCode, 401)
  assert.match(replay.body, /already used/)
  assert.equal((await other.submit('/login/two-factor', { code: earlier })).statusCode, 401)
  assert.equal((await other.get('/account')).statusCode, 303)
})

test('the code that turned two-factor on cannot sign in', async (t) => {
  const { browser, email, code } = await accountWithTwoFactor(t)
  await passwordStep(browser, email)
  // turnOn moved the clock one step on from the enabling code: that code is one step back, within the drift.
  assert.equal((await browser.submit('/login/two-factor', { code: code(-1) })).statusCode, 401)
})

test('two sessions racing with one code: exactly one is signed in', async (t) => {
  const { browser, email, code, app, user } = await accountWithTwoFactor(t)
  const other = new Visitor(app)
  await passwordStep(browser, email)
  await passwordStep(other, email)
  const forms = await Promise.all(
    [browser, other].map(async (visitor) => ({ visitor, _csrf: await visitor.csrfToken('/login/two-factor') })),
  )
  const lock = await holdRowLock(databaseUrl, 'SELECT 1 FROM "TwoFactor" WHERE "userId" = $1', [user.id])
  const typed = code()
  const answers = forms.map(({ visitor, _csrf }) => visitor.post('/login/two-factor', { _csrf, code: typed }))
  await untilSomeoneWaitsForALock(databaseUrl, 2)
  await lock.release()
  const statuses = (await Promise.all(answers)).map((res) => res.statusCode).sort()
  assert.deepEqual(statuses, [303, 401])
})

test('a recovery code signs in once, then is spent', async (t) => {
  const { browser, email, recoveryCodes, app, db, user } = await accountWithTwoFactor(t)
  const [recoveryCode] = recoveryCodes as [string]
  await passwordStep(browser, email, '/login?next=%2Fcart')
  const res = await browser.submit('/login/two-factor', { code: recoveryCode.toUpperCase() })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/cart')
  assert.equal(await db.prisma.recoveryCode.count({ where: { userId: user.id } }), 9)
  const other = new Visitor(app)
  await passwordStep(other, email)
  assert.equal((await other.submit('/login/two-factor', { code: recoveryCode })).statusCode, 401)
})

test('two sessions racing with one recovery code: exactly one is signed in', async (t) => {
  const { browser, email, recoveryCodes, app, user } = await accountWithTwoFactor(t)
  const [recoveryCode] = recoveryCodes as [string]
  const other = new Visitor(app)
  await passwordStep(browser, email)
  await passwordStep(other, email)
  const forms = await Promise.all(
    [browser, other].map(async (visitor) => ({ visitor, _csrf: await visitor.csrfToken('/login/two-factor') })),
  )
  const lock = await holdRowLock(databaseUrl, 'SELECT 1 FROM "RecoveryCode" WHERE "userId" = $1', [user.id])
  const answers = forms.map(({ visitor, _csrf }) => visitor.post('/login/two-factor', { _csrf, code: recoveryCode }))
  await untilSomeoneWaitsForALock(databaseUrl, 2)
  await lock.release()
  const statuses = (await Promise.all(answers)).map((res) => res.statusCode).sort()
  assert.deepEqual(statuses, [303, 401])
})

test('the pending sign-in is refused by every signed-in page and by checkout', async (t) => {
  const { browser, email, db, user } = await accountWithTwoFactor(t)
  await passwordStep(browser, email)
  const pages = ['/account', '/account/sessions', '/account/password', '/account/two-factor', '/account/passkeys']
  pages.push('/account/email', '/account/delete', '/account/confirm', '/orders')
  for (const page of pages) {
    const res = await browser.get(page)
    assert.equal(res.statusCode, 303, page)
    assert.equal(res.headers.location, `/login?next=${encodeURIComponent(page)}`, page)
  }
  const product = await db.prisma.product.findFirstOrThrow()
  assert.equal((await addToCart(browser, product.id, 1)).statusCode, 303)
  const checkout = await browser.submit('/cart', {}, '/checkout')
  assert.equal(checkout.statusCode, 303)
  assert.equal(checkout.headers.location, '/login?next=%2Fcart')
  assert.equal(await db.prisma.order.count({ where: { userId: user.id } }), 0)
})

test('5 wrong codes for one account in 15 minutes: then 429 with Retry-After, even for the right code', async (t) => {
  const { browser, email, code, app, clock } = await accountWithTwoFactor(t)
  await passwordStep(browser, email)
  const wrong = code() === '000000' ? '111111' : '000000'
  for (let i = 0; i < 5; i++) assert.equal((await browser.submit('/login/two-factor', { code: wrong })).statusCode, 401)
  const refused = await browser.submit('/login/two-factor', { code: code() })
  assert.equal(refused.statusCode, 429)
  assert.ok(Number(refused.headers['retry-after']) > 0)
  // Per account: another browser at the second step for it is refused too.
  const other = new Visitor(app)
  await passwordStep(other, email)
  assert.equal((await other.submit('/login/two-factor', { code: code() })).statusCode, 429)
  clock.advance(15 * 60)
  await passwordStep(other, email)
  assert.equal((await other.submit('/login/two-factor', { code: code() })).statusCode, 303)
})

test('the pending sign-in lasts 5 minutes; after that the right code signs nobody in', async (t) => {
  const { browser, email, code, clock } = await accountWithTwoFactor(t)
  await passwordStep(browser, email)
  const _csrf = await browser.csrfToken('/login/two-factor')
  clock.advance(5 * 60 + 1)
  const res = await browser.post('/login/two-factor', { _csrf, code: code() })
  assert.equal(res.statusCode, 401)
  assert.match(res.body, /more than 5 minutes/)
  assert.equal((await browser.get('/account')).statusCode, 303)
  const page = await browser.get('/login/two-factor')
  assert.equal(page.statusCode, 303)
  assert.equal(page.headers.location, '/login')
})

test('a password change between the two steps ends the pending sign-in', async (t) => {
  const { browser, email, code, visit } = await accountWithTwoFactor(t)
  await passwordStep(browser, email)
  const changed = await visit.submit('/account/password', {
    current_password: 'correct horse battery staple',
    new_password: 'a brand new passphrase',
  })
  assert.equal(changed.statusCode, 303)
  await browser.submit('/login/two-factor', { code: code() })
  assert.equal((await browser.get('/account')).headers.location, '/login?next=%2Faccount')
})

test('cart lines added while the code is pending are in the account’s cart after it', async (t) => {
  const { browser, email, code, db, user } = await accountWithTwoFactor(t)
  await passwordStep(browser, email)
  const product = await db.prisma.product.findFirstOrThrow()
  await addToCart(browser, product.id, 2)
  assert.equal((await browser.submit('/login/two-factor', { code: code() })).statusCode, 303)
  const lines = await db.prisma.cartItem.findMany({ where: { userId: user.id } })
  assert.deepEqual(
    lines.map((line) => [line.productId, line.quantity]),
    [[product.id, 2]],
  )
})
