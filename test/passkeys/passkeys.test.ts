// The passkey endpoints as a script calls them: JSON POSTs with the CSRF token in X-CSRF-Token, guarded by
// confirmation, and only ever the account's own passkeys. The ceremonies themselves run in the browser suite.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createAccount, createFileDatabase, startSignedInVisit, uniqueEmail } from '../helpers/accounts.ts'
import type { TestApp } from '../helpers/app.ts'
import { startVisit } from '../helpers/app.ts'
import type { Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()
const CONFIRM_SECONDS = 60

const signedIn = (t: Parameters<typeof startVisit>[0]) =>
  startSignedInVisit(t, { databaseUrl, confirmSeconds: CONFIRM_SECONDS })

function postJson(visit: Visitor & Pick<TestApp, 'app'>, url: string, body: unknown, token: string | undefined) {
  const cookie = [...visit.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  const headers: Record<string, string> = { cookie, 'content-type': 'application/json' }
  if (token !== undefined) headers['x-csrf-token'] = token
  return visit.app.inject({ method: 'POST', url, headers, payload: JSON.stringify(body) })
}

function addPasskeyRow(visit: Awaited<ReturnType<typeof signedIn>>, userId: number, name = 'Chrome on Linux') {
  return visit.db.prisma.passkey.create({
    data: {
      userId,
      credentialId: `cred-${Math.random().toString(36).slice(2)}`,
      publicKey: new Uint8Array([1, 2, 3]),
      transports: ['internal'],
      name,
      createdAt: visit.clock.now(),
    },
  })
}

test('registration options come as JSON with a challenge, for the signed-in account', async (t) => {
  const visit = await signedIn(t)
  const res = await postJson(visit, '/account/passkeys/options', {}, await visit.csrfToken('/account/passkeys'))
  assert.equal(res.statusCode, 200)
  const options = res.json()
  assert.equal(options.rp.id, 'localhost')
  assert.equal(options.user.name, visit.email)
  assert.equal(options.authenticatorSelection.residentKey, 'required')
  assert.equal(options.authenticatorSelection.userVerification, 'required')
  assert.match(options.challenge, /^[A-Za-z0-9_-]{20,}$/)
})

test('a JSON POST without the X-CSRF-Token header is refused with 403, even with _csrf in the body', async (t) => {
  const visit = await signedIn(t)
  const token = await visit.csrfToken('/account/passkeys')
  const res = await postJson(visit, '/account/passkeys/options', { _csrf: token }, undefined)
  assert.equal(res.statusCode, 403)
  const wrong = await postJson(visit, '/login/passkey/options', {}, 'not-a-token')
  assert.equal(wrong.statusCode, 403)
})

test('with a stale confirmation, the options and the answer are 401 with where to confirm', async (t) => {
  const visit = await signedIn(t)
  const token = await visit.csrfToken('/account/passkeys')
  visit.clock.advance(CONFIRM_SECONDS + 1)
  for (const url of ['/account/passkeys/options', '/account/passkeys']) {
    const res = await postJson(visit, url, {}, token)
    assert.equal(res.statusCode, 401, url)
    assert.deepEqual(res.json(), { confirm: '/account/confirm?next=%2Faccount%2Fpasskeys' })
  }
})

test('an answer with no challenge asked for, or a garbled one, is a 400 and adds nothing', async (t) => {
  const visit = await signedIn(t)
  const token = await visit.csrfToken('/account/passkeys')
  const unasked = await postJson(visit, '/account/passkeys', { id: 'x', response: {} }, token)
  assert.equal(unasked.statusCode, 400)
  assert.equal((await postJson(visit, '/account/passkeys/options', {}, token)).statusCode, 200)
  const garbled = await postJson(visit, '/account/passkeys', { id: 'x', rawId: 'x', response: { a: 1 } }, token)
  assert.equal(garbled.statusCode, 400)
  assert.match(garbled.json().error, /could not be added/)
  assert.equal(await visit.db.prisma.passkey.count({ where: { userId: visit.user.id } }), 0)
})

test('the passkeys page lists the account’s passkeys with a remove button each, and removing one works', async (t) => {
  const visit = await signedIn(t)
  const passkey = await addPasskeyRow(visit, visit.user.id, 'Firefox on Android')
  const page = await visit.get('/account/passkeys')
  assert.equal(page.statusCode, 200)
  assert.match(page.body, /Firefox on Android/)
  assert.match(page.body, /Add a passkey/)
  const res = await visit.submit('/account/passkeys', {}, `/account/passkeys/${passkey.id}/delete`)
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account/passkeys')
  assert.doesNotMatch((await visit.get('/account/passkeys')).body, /Firefox on Android/)
  const events = await visit.db.prisma.securityEvent.findMany({
    where: { userId: visit.user.id, kind: { startsWith: 'passkey' } },
  })
  assert.deepEqual(
    events.map((event) => event.kind),
    ['passkey-removed'],
  )
})

test('removing another account’s passkey is a 404 and leaves it in place', async (t) => {
  const visit = await signedIn(t)
  const other = await createAccount(visit.db, uniqueEmail('bob'))
  const theirs = await addPasskeyRow(visit, other.id)
  const token = await visit.csrfToken('/account/passkeys')
  const res = await visit.post(`/account/passkeys/${theirs.id}/delete`, { _csrf: token })
  assert.equal(res.statusCode, 404)
  assert.equal(await visit.db.prisma.passkey.count({ where: { id: theirs.id } }), 1)
  assert.equal((await visit.post('/account/passkeys/abc/delete', { _csrf: token })).statusCode, 404)
})

test('removing a passkey with a stale confirmation goes to the confirm page and back to the list', async (t) => {
  const visit = await signedIn(t)
  const passkey = await addPasskeyRow(visit, visit.user.id)
  const token = await visit.csrfToken('/account/passkeys')
  visit.clock.advance(CONFIRM_SECONDS + 1)
  const res = await visit.post(`/account/passkeys/${passkey.id}/delete`, { _csrf: token })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account/confirm?next=%2Faccount%2Fpasskeys')
  assert.equal(await visit.db.prisma.passkey.count({ where: { id: passkey.id } }), 1)
})

test('a guest gets sign-in options with no credential named (any passkey of the shop may answer)', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const res = await postJson(visit, '/login/passkey/options', {}, await visit.csrfToken('/login'))
  assert.equal(res.statusCode, 200)
  const options = res.json()
  assert.equal(options.userVerification, 'required')
  assert.equal(options.rpId, 'localhost')
  assert.deepEqual(options.allowCredentials ?? [], [])
})

test('a sign-in answer for an unknown passkey is a 401 and signs nobody in', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const token = await visit.csrfToken('/login')
  await postJson(visit, '/login/passkey/options', {}, token)
  const res = await postJson(visit, '/login/passkey', { id: 'unknown', rawId: 'unknown', response: {} }, token)
  assert.equal(res.statusCode, 401)
  assert.match(res.json().error, /did not sign you in/)
  assert.equal((await visit.get('/account')).statusCode, 303)
})

test('the confirm page offers a passkey only to an account that has one', async (t) => {
  const visit = await signedIn(t)
  assert.doesNotMatch((await visit.get('/account/confirm?next=%2Faccount')).body, /Use a passkey/)
  await addPasskeyRow(visit, visit.user.id)
  const page = await visit.get('/account/confirm?next=%2Faccount')
  assert.match(page.body, /Use a passkey/)
  assert.match(page.body, /<script src="\/static\/js\/passkeys.js"/)
})

test('the sign-in page offers a passkey, with its scripts from this origin and none inline', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const login = await visit.get('/login')
  assert.match(login.body, /data-passkey="authenticate" data-options="\/login\/passkey\/options"/)
  const scripts = [...login.body.matchAll(/<script\b([^>]*)>/g)].map(([, attributes]) => attributes)
  assert.ok(scripts.length > 0 && scripts.every((attributes) => /src="\/static\//.test(attributes ?? '')))
  const vendor = await visit.get('/static/vendor/simplewebauthn-browser.js')
  assert.equal(vendor.statusCode, 200)
  assert.match(vendor.headers['content-type'] as string, /javascript/)
  assert.match(vendor.body, /SimpleWebAuthnBrowser/)
  assert.equal((await visit.get('/static/js/passkeys.js')).statusCode, 200)
})
