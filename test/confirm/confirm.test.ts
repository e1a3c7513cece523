// Confirming it's you: each guarded page sends a stale confirmation to /account/confirm and back, and works
// while it is fresh; the confirm form is counted by the sign-in throttle.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createFileDatabase, PASSWORD, startSignedInVisit } from '../helpers/accounts.ts'
import type { startVisit } from '../helpers/app.ts'
import { throttleFailures } from '../helpers/throttle-store.ts'

const databaseUrl = await createFileDatabase()
const CONFIRM_SECONDS = 60

const signedIn = (t: Parameters<typeof startVisit>[0]) =>
  startSignedInVisit(t, { databaseUrl, confirmSeconds: CONFIRM_SECONDS })

const guardedPages = [
  { page: '/account/password', post: '/account/password' },
  { page: '/account/sessions', post: '/account/sessions/others/delete' },
]

for (const { page, post } of guardedPages) {
  test(`${post} right after signing in needs no confirmation`, async (t) => {
    const visit = await signedIn(t)
    const res = await visit.post(post, { _csrf: await visit.csrfToken(page) })
    assert.notEqual(res.headers.location?.startsWith('/account/confirm'), true)
  })

  test(`${post} with a stale confirmation goes to the confirm page, and back to ${page}`, async (t) => {
    const visit = await signedIn(t)
    const token = await visit.csrfToken(page)
    visit.clock.advance(CONFIRM_SECONDS + 1)
    const res = await visit.post(post, { _csrf: token })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/account/confirm?next=${encodeURIComponent(page)}`)
    const confirmed = await visit.submit(res.headers.location as string, { password: PASSWORD })
    assert.equal(confirmed.statusCode, 303)
    assert.equal(confirmed.headers.location, page)
  })
}

test('a guarded page itself (GET) is sent to confirm when stale, and shows once confirmed', async (t) => {
  const visit = await signedIn(t)
  assert.equal((await visit.get('/account/password')).statusCode, 200)
  visit.clock.advance(CONFIRM_SECONDS + 1)
  const stale = await visit.get('/account/password')
  assert.equal(stale.statusCode, 303)
  assert.equal(stale.headers.location, '/account/confirm?next=%2Faccount%2Fpassword')
  await visit.submit('/account/confirm?next=%2Faccount%2Fpassword', { password: PASSWORD })
  assert.equal((await visit.get('/account/password')).statusCode, 200)
})

test('a wrong password on the confirm page is refused and confirms nothing', async (t) => {
  const visit = await signedIn(t)
  visit.clock.advance(CONFIRM_SECONDS + 1)
  const res = await visit.submit('/account/confirm?next=%2Faccount%2Fpassword', { password: 'not the password' })
  assert.equal(res.statusCode, 400)
  assert.match(res.body, /That is not your password/)
  assert.equal((await visit.get('/account/password')).statusCode, 303)
})

test('a JSON request with a stale confirmation is told where to confirm with a 401', async (t) => {
  const visit = await signedIn(t)
  const token = await visit.csrfToken('/account/sessions')
  visit.clock.advance(CONFIRM_SECONDS + 1)
  const res = await visit.app.inject({
    method: 'POST',
    url: '/account/sessions/others/delete',
    headers: { cookie: cookieHeaderOf(visit.cookies), 'content-type': 'application/json', 'x-csrf-token': token },
    payload: JSON.stringify({ _csrf: token }),
  })
  assert.equal(res.statusCode, 401)
  assert.deepEqual(res.json(), { confirm: '/account/confirm?next=%2Faccount%2Fsessions' })
})

test('guessing on the confirm page is counted by the sign-in throttle', async (t) => {
  const visit = await signedIn(t)
  for (let i = 0; i < 5; i++) {
    const res = await visit.submit('/account/confirm?next=%2Faccount', { password: `wrong guess ${i}` })
    assert.equal(res.statusCode, 400)
  }
  const blocked = await visit.submit('/account/confirm?next=%2Faccount', { password: PASSWORD })
  assert.equal(blocked.statusCode, 429)
  assert.ok(blocked.headers['retry-after'])
})

test('the confirm page sends only to a local path', async (t) => {
  const visit = await signedIn(t)
  const res = await visit.submit('/account/confirm?next=https%3A%2F%2Fevil.example', { password: PASSWORD })
  assert.equal(res.headers.location, '/account')
})

test('a next with a control character is no local path: the confirm page sends to /account, not a 400', async (t) => {
  const visit = await signedIn(t)
  const res = await visit.submit('/account/confirm?next=%2Forders%0D%0ASet-Cookie%3A%20x%3D1', { password: PASSWORD })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account')
})

test('a control character in the password is a 400 with the form, and no failed attempt', async (t) => {
  const visit = await signedIn(t)
  const failuresBefore = (await throttleFailures(visit)).length
  const res = await visit.submit('/account/confirm?next=%2Faccount', { password: `${PASSWORD}\u0000` })
  assert.equal(res.statusCode, 400)
  assert.match(res.body, /A password cannot contain control characters\./)
  assert.equal((await throttleFailures(visit)).length, failuresBefore)
})

function cookieHeaderOf(cookies: Map<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
}
