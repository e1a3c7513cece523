// Rotating SESSION_SECRET keeps two-factor working: a secret sealed with the retiring secret still opens, and
// is sealed again with the new one (at start-up, and when a code is accepted), so the old one can be dropped.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { keysFor } from '../../src/plugins/secrets.ts'
import { resealSecrets } from '../../src/two-factor/two-factor.ts'
import { createAccount, createFileDatabase, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { Visitor } from '../helpers/visitor.ts'
import { totpCode, turnOn } from './helpers.ts'

const OLD = 'the-old-session-secret-that-is-being-retired-now'
const NEW = 'the-new-session-secret-that-signs-from-now-on!!'

async function enabledUnder(t: Parameters<typeof startVisit>[0], databaseUrl: string) {
  const visit = await startVisit(t, { databaseUrl, env: { SESSION_SECRET: OLD } })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await signIn(visit, email)
  const { secret } = await turnOn(visit)
  return { email, secret, clock: visit.clock }
}

async function signsInWithCode(
  t: Parameters<typeof startVisit>[0],
  databaseUrl: string,
  email: string,
  secret: string,
  env: Record<string, string>,
) {
  const visit = await startVisit(t, { databaseUrl, env })
  visit.clock.advance(120)
  const browser = new Visitor(visit.app)
  assert.equal((await signIn(browser, email)).headers.location, '/login/two-factor')
  return (await browser.submit('/login/two-factor', { code: totpCode(secret, visit.clock.now()) })).statusCode
}

test('after the secret is retired, resealing at start-up keeps the second factor working', async (t) => {
  const databaseUrl = await createFileDatabase()
  const { email, secret } = await enabledUnder(t, databaseUrl)
  const visit = await startVisit(t, { databaseUrl, env: { SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD } })
  assert.equal(await resealSecrets(visit.db, keysFor([NEW, OLD], 'two-factor secret')), 1)
  assert.equal(await resealSecrets(visit.db, keysFor([NEW, OLD], 'two-factor secret')), 0)
  assert.equal(await signsInWithCode(t, databaseUrl, email, secret, { SESSION_SECRET: NEW }), 303)
})

test('a code accepted while the old secret is still accepted seals the secret with the new one', async (t) => {
  const databaseUrl = await createFileDatabase()
  const { email, secret } = await enabledUnder(t, databaseUrl)
  const rotating = { SESSION_SECRET: NEW, SESSION_SECRET_PREVIOUS: OLD }
  assert.equal(await signsInWithCode(t, databaseUrl, email, secret, rotating), 303)
  const visit = await startVisit(t, { databaseUrl, env: rotating })
  assert.equal(await resealSecrets(visit.db, keysFor([NEW, OLD], 'two-factor secret')), 0)
})

test('a secret sealed with a secret the shop no longer knows opens nowhere: the code is refused', async (t) => {
  const databaseUrl = await createFileDatabase()
  const { email, secret } = await enabledUnder(t, databaseUrl)
  assert.equal(await signsInWithCode(t, databaseUrl, email, secret, { SESSION_SECRET: NEW }), 401)
})
