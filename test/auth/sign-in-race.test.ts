// Ending sessions wins every race: a sign-in whose password check came before a password change or "sign out
// others" gets no usable session, even when its session is written after that change committed.
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
import { holdRowLock, untilSomeoneWaitsForALock } from '../helpers/locks.ts'
import { countSessions, storedSessions } from '../helpers/session-store.ts'
import { findForm, Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()

type Answer = { statusCode: number }

/** The form of `pageUrl` that posts to `action`, opened now and posted when called. */
async function formToPost(visitor: Visitor, pageUrl: string, action: string, fields: Record<string, string> = {}) {
  const form = findForm((await visitor.get(pageUrl)).body, action)
  assert.ok(form, `a form posting to ${action}`)
  return () => visitor.post(action, { ...form.fields, ...fields })
}

/**
 * Ann is signed in on her laptop, where `laptopForm` ends her other sessions; another browser, with a guest
 * cart, signs in as Ann at the same moment. The test holds two rows: Ann's, which the laptop's change waits for
 * once its password work is done, and the guest session's, which the sign-in waits for (to move the cart) once
 * it has checked the password. When both wait, the change goes first and commits; then the sign-in goes on.
 * The password work of each is done before it waits: a statement kept waiting long would hit statement_timeout.
 */
async function changeDuringSignIn(
  t: Parameters<typeof startVisit>[0],
  laptopForm: (laptop: Visitor) => Promise<() => Promise<Answer>>,
) {
  const laptop = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  const user = await createAccount(laptop.db, email)
  await signIn(laptop, email)
  const other = new Visitor(laptop.app)
  assert.equal((await addToCart(other, 1)).statusCode, 303)
  const signInForm = await formToPost(other, '/login', '/login', { email, password: PASSWORD })
  const change = await laptopForm(laptop)
  const account = await holdRowLock(databaseUrl, 'SELECT id FROM "User" WHERE id = $1', [user.id])
  const guest = await holdRowLock(databaseUrl, 'SELECT id FROM "Session" WHERE id = $1', [sessionIdOf(other)])
  let changed: Answer
  let signedIn: Promise<Answer>
  try {
    const changing = change()
    signedIn = signInForm()
    await untilSomeoneWaitsForALock(databaseUrl, 2)
    await account.release()
    changed = await changing
  } finally {
    await account.release()
    await guest.release()
  }
  return { laptop, other, user, changed, signedIn: await signedIn }
}

async function assertNotSignedIn(visitor: Visitor) {
  const account = await visitor.get('/account')
  assert.equal(account.statusCode, 303)
  assert.equal(account.headers.location, '/login?next=%2Faccount')
}

test('a sign-in whose password check came before a password change gets no usable session', async (t) => {
  const fields = { current_password: PASSWORD, new_password: 'a brand new passphrase' }
  const { laptop, other, user, changed, signedIn } = await changeDuringSignIn(t, (laptop) =>
    formToPost(laptop, '/account/password', '/account/password', fields),
  )
  assert.equal(changed.statusCode, 303)
  assert.equal(signedIn.statusCode, 303, 'the sign-in itself answered as usual')
  await assertNotSignedIn(other)
  const sessions = await storedSessions(laptop, { userId: user.id })
  assert.deepEqual(
    sessions.map((session) => session.id),
    [sessionIdOf(laptop)],
    'only the laptop has a session',
  )
  assert.equal((await laptop.get('/account')).statusCode, 200)
})

test('a sign-in in flight from another browser gets no usable session after "sign out others"', async (t) => {
  const { laptop, other, user, changed, signedIn } = await changeDuringSignIn(t, (laptop) =>
    formToPost(laptop, '/account/sessions', '/account/sessions/others/delete'),
  )
  assert.equal(changed.statusCode, 303)
  assert.equal(signedIn.statusCode, 303)
  await assertNotSignedIn(other)
  assert.equal(await countSessions(laptop, { userId: user.id }), 1)
  assert.equal((await laptop.get('/account')).statusCode, 200)
})

test('a sign-in after the password change, with the new password, is a sign-in as usual', async (t) => {
  const laptop = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(laptop.db, email)
  await signIn(laptop, email)
  await laptop.submit('/account/password', { current_password: PASSWORD, new_password: 'a brand new passphrase' })
  const other = new Visitor(laptop.app)
  assert.equal((await signIn(other, email, 'a brand new passphrase')).statusCode, 303)
  assert.equal((await other.get('/account')).statusCode, 200)
})
