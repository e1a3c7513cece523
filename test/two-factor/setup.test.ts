// Setting up two-factor sign-in: a secret shown once (QR code and text), a first code turns it on and shows
// 10 recovery codes once; new codes replace the old; turning it off mails a notice. Every change needs a
// fresh confirmation.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createFileDatabase, signIn, startSignedInVisit } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { flashOf } from '../helpers/pages.ts'
import { Visitor } from '../helpers/visitor.ts'
import { recoveryCodesOf, setUp, totpCode, turnOn } from './helpers.ts'

const databaseUrl = await createFileDatabase()
const CONFIRM_SECONDS = 120

const signedIn = (t: Parameters<typeof startVisit>[0]) =>
  startSignedInVisit(t, { databaseUrl, confirmSeconds: CONFIRM_SECONDS })

test('the two-factor page says it is off and offers to set it up', async (t) => {
  const visit = await signedIn(t)
  const res = await visit.get('/account/two-factor')
  assert.equal(res.statusCode, 200)
  assert.match(res.body, /Two-factor sign-in is off/)
  assert.match(res.body, /action="\/account\/two-factor\/setup"/)
  assert.equal(res.headers['cache-control'], 'no-store')
})

test('set-up shows a QR code (an SVG image) and the secret as text, and nothing is on yet', async (t) => {
  const visit = await signedIn(t)
  const { setup, secret } = await setUp(visit)
  assert.match(setup.body, /<img class="qr-code" src="data:image\/svg\+xml;base64,[A-Za-z0-9+/=]+"/)
  assert.ok(secret.length >= 32, 'a 160-bit secret')
  const uri = /href="(otpauth:[^"]+)"/.exec(setup.body)?.[1]?.replaceAll('&amp;', '&') ?? ''
  const params = new URL(uri).searchParams
  assert.equal(params.get('secret'), secret)
  assert.deepEqual([params.get('algorithm'), params.get('digits'), params.get('period')], ['SHA1', '6', '30'])
  assert.match((await visit.get('/account/two-factor')).body, /Two-factor sign-in is off/)
})

test('the current code turns it on and shows 10 recovery codes once', async (t) => {
  const visit = await signedIn(t)
  const { recoveryCodes, page } = await turnOn(visit)
  assert.equal(recoveryCodes.length, 10)
  for (const code of recoveryCodes) assert.match(code, /^[a-z0-9]{10,}$/)
  assert.equal(new Set(recoveryCodes).size, 10)
  assert.equal(page.headers['cache-control'], 'no-store')
  const status = await visit.get('/account/two-factor')
  assert.match(status.body, /Two-factor sign-in is on/)
  assert.match(status.body, /10 unused recovery codes/)
  for (const code of recoveryCodes) assert.doesNotMatch(status.body, new RegExp(code))
})

test('a code one step early or late is accepted (clock drift); two steps is not', async (t) => {
  const visit = await signedIn(t)
  const { secret, enableFields } = await setUp(visit)
  const tooFar = await visit.post('/account/two-factor/enable', {
    ...enableFields,
    code: totpCode(secret, visit.clock.now(), -2),
  })
  assert.equal(tooFar.statusCode, 400)
  const late = await visit.post('/account/two-factor/enable', {
    ...enableFields,
    code: totpCode(secret, visit.clock.now(), -1),
  })
  assert.equal(late.statusCode, 200)
})

test('a wrong code is 400, shows the set-up page again with a message, and turns nothing on', async (t) => {
  const visit = await signedIn(t)
  const { secret, enableFields } = await setUp(visit)
  const right = totpCode(secret, visit.clock.now())
  const wrong = right === '000000' ? '111111' : '000000'
  for (const code of [wrong, 'abc', '']) {
    const res = await visit.post('/account/two-factor/enable', { ...enableFields, code })
    assert.equal(res.statusCode, 400, code)
    assert.match(res.body, /That code is not right|Enter the 6-digit code/)
    assert.match(res.body, new RegExp(secret), 'the same secret, so the app already set up still works')
  }
  assert.match((await visit.get('/account/two-factor')).body, /Two-factor sign-in is off/)
})

test('new recovery codes are shown once and the old ones are gone', async (t) => {
  const visit = await signedIn(t)
  const { recoveryCodes: old } = await turnOn(visit)
  const res = await visit.submit('/account/two-factor', {}, '/account/two-factor/recovery-codes')
  assert.equal(res.statusCode, 200)
  const fresh = recoveryCodesOf(res.body)
  assert.equal(fresh.length, 10)
  assert.ok(fresh.every((code) => !old.includes(code)))
  const stored = await visit.db.prisma.recoveryCode.findMany({ where: { userId: visit.user.id } })
  assert.equal(stored.length, 10)
  for (const row of stored) {
    assert.match(row.codeHash, /^\$argon2id\$/)
    assert.ok(!fresh.some((code) => row.codeHash.includes(code)))
  }
})

test('turning it off asks for no code again at sign-in and mails a notice', async (t) => {
  const visit = await signedIn(t)
  await turnOn(visit)
  const res = await visit.submit('/account/two-factor', {}, '/account/two-factor/disable')
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account/two-factor')
  const page = await visit.get('/account/two-factor')
  assert.match(flashOf(page.body) ?? '', /Two-factor sign-in is off/)
  assert.equal(await visit.db.prisma.recoveryCode.count({ where: { userId: visit.user.id } }), 0)
  const mailbox = await visit.get('/dev/mailbox')
  assert.match(mailbox.body, /Two-factor sign-in was turned off/)
  const other = new Visitor(visit.app)
  const signedInAgain = await signIn(other, visit.email)
  assert.equal(signedInAgain.headers.location, '/account')
})

test('the secret is stored sealed, not as the text the page showed', async (t) => {
  const visit = await signedIn(t)
  const { secret } = await turnOn(visit)
  const row = await visit.db.prisma.twoFactor.findUniqueOrThrow({ where: { userId: visit.user.id } })
  assert.ok(!row.secretEncrypted.includes(secret))
  assert.ok(row.enabledAt !== null)
})

const guardedPosts = ['setup', 'enable', 'recovery-codes', 'disable'] as const

for (const action of guardedPosts) {
  test(`POST /account/two-factor/${action} with a stale confirmation goes to confirm, back to /account/two-factor`, async (t) => {
    const visit = await signedIn(t)
    const token = await visit.csrfToken('/account/two-factor')
    visit.clock.advance(CONFIRM_SECONDS + 1)
    const res = await visit.post(`/account/two-factor/${action}`, { _csrf: token, code: '123456' })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/account/confirm?next=%2Faccount%2Ftwo-factor')
  })
}

test('each guarded POST works while the confirmation is fresh', async (t) => {
  const visit = await signedIn(t)
  const { setup, secret, enableFields } = await setUp(visit)
  assert.equal(setup.statusCode, 200)
  const enabled = await visit.post('/account/two-factor/enable', {
    ...enableFields,
    code: totpCode(secret, visit.clock.now()),
  })
  assert.equal(enabled.statusCode, 200)
  const renewed = await visit.submit('/account/two-factor', {}, '/account/two-factor/recovery-codes')
  assert.equal(renewed.statusCode, 200)
  const off = await visit.submit('/account/two-factor', {}, '/account/two-factor/disable')
  assert.equal(off.statusCode, 303)
  assert.equal(off.headers.location, '/account/two-factor')
})

test('a guest asking for the two-factor page is sent to sign in', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const res = await visit.get('/account/two-factor')
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/login?next=%2Faccount%2Ftwo-factor')
})
