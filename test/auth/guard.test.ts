import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createAccount, createFileDatabase, PASSWORD, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'

const databaseUrl = await createFileDatabase()

const SIGNED_IN_PAGES = ['/account', '/account/sessions', '/account/password', '/orders', '/orders/1']

for (const path of SIGNED_IN_PAGES) {
  test(`a guest asking for ${path} is sent to sign in with next=${path}`, async (t) => {
    const visit = await startVisit(t, { databaseUrl })
    const res = await visit.get(path)
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/login?next=${encodeURIComponent(path)}`)
  })
}

test('signing in through that form returns the visitor to the page they asked for', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const asked = await visit.get('/account/sessions')
  const res = await signIn(visit, email, PASSWORD, { pageUrl: asked.headers.location as string })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account/sessions')
  assert.equal((await visit.get('/account/sessions')).statusCode, 200)
})

test('the query of the page asked for comes back too', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const asked = await visit.get('/orders?sort=newest')
  assert.equal(asked.headers.location, '/login?next=%2Forders%3Fsort%3Dnewest')
  const res = await signIn(visit, email, PASSWORD, { pageUrl: asked.headers.location as string })
  assert.equal(res.headers.location, '/orders?sort=newest')
})

for (const [action, next] of [
  ['/account/password', '/account/password'],
  ['/account/sessions/others/delete', '/account/sessions'],
  ['/account/sessions/00000000-0000-4000-8000-000000000000/delete', '/account/sessions'],
]) {
  test(`a guest posting to ${action} with a valid token is sent to sign in, back to ${next}`, async (t) => {
    const visit = await startVisit(t, { databaseUrl })
    const token = await visit.csrfToken('/')
    const res = await visit.post(action, { _csrf: token })
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, `/login?next=${encodeURIComponent(next)}`)
  })
}
