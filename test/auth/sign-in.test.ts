import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { test } from 'node:test'
import {
  addToCart,
  cookieSessionIdOf,
  createAccount,
  createFileDatabase,
  PASSWORD,
  sessionIdOf,
  signIn,
  uniqueEmail,
} from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { setCookieOf, signedInEmailOf } from '../helpers/pages.ts'
import { countSessions, storedSessionOrThrow } from '../helpers/session-store.ts'
import { throttleFailures } from '../helpers/throttle-store.ts'
import { Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()

const NO_MATCH = 'That email and password do not match an account.'
const formErrorOf = (html: string) => /<p class="form-error" role="alert">([^<]*)</.exec(html)?.[1]
const fieldErrorsOf = (html: string) =>
  [...html.matchAll(/<p class="field-error" id="([^"]+)-error">([^<]*)</g)].map(([, field, message]) => [
    field,
    message,
  ])

test('the right password signs in and sends the visitor to their account page', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  const user = await createAccount(visit.db, email)
  const res = await signIn(visit, email)
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account')
  const session = await storedSessionOrThrow(visit, sessionIdOf(visit))
  assert.equal(session.userId, user.id)
  const account = await visit.get('/account')
  assert.equal(account.statusCode, 200)
  assert.equal(signedInEmailOf(account.body), email)
  assert.match(account.body, new RegExp(`You are signed in as <strong>${email}</strong>`))
})

test('the email is matched without regard to case or surrounding spaces', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const res = await signIn(visit, `  ${email.toUpperCase()} `)
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account')
})

test('signing in sends the visitor back to the local page in next', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const res = await signIn(visit, email, PASSWORD, { pageUrl: '/login?next=%2Forders%3Fpage%3D2' })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/orders?page=2')
})

test('signing in gives the visitor a new session id in place of their guest one', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await addToCart(visit, 1)
  const guestCookie = visit.cookies.get('sid')
  assert.ok(guestCookie)
  const res = await signIn(visit, email)
  const newCookie = setCookieOf(res, 'sid')
  assert.ok(newCookie)
  assert.notEqual(newCookie.value, guestCookie)
  assert.notEqual(cookieSessionIdOf(visit), guestCookie.slice(0, guestCookie.lastIndexOf('.')))
})

test('a guest session id planted before sign-in is worthless afterwards (session fixation)', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await addToCart(visit, 1)
  const plantedCookie = visit.cookies.get('sid') as string
  const plantedId = sessionIdOf(visit) as string
  await signIn(visit, email)
  assert.equal(await countSessions(visit, { id: plantedId }), 0, 'the guest row is gone')

  const attacker = new Visitor(visit.app)
  attacker.cookies.set('sid', plantedCookie)
  const home = await attacker.get('/')
  assert.equal(home.statusCode, 200)
  assert.equal(signedInEmailOf(home.body), null)
  assert.match(home.body, /data-testid="cart-count"[^>]*>0</)
  const account = await attacker.get('/account')
  assert.equal(account.statusCode, 303)
  assert.equal(account.headers.location, '/login?next=%2Faccount')
})

test("a guest's cart lines come along to the account at sign-in", async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  const user = await createAccount(visit.db, email)
  await addToCart(visit, 1)
  await addToCart(visit, 1)
  await signIn(visit, email)
  const cart = await visit.get('/cart')
  assert.match(cart.body, /data-testid="cart-count"[^>]*>2</)
  assert.equal(await visit.db.prisma.cartItem.count({ where: { userId: user.id } }), 1)
})

test('signing in as someone else ends the session of the first account in this browser', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const [first, second] = [uniqueEmail(), uniqueEmail()]
  await createAccount(visit.db, first)
  await createAccount(visit.db, second)
  await signIn(visit, first)
  const firstId = sessionIdOf(visit)
  await signIn(visit, second)
  assert.notEqual(sessionIdOf(visit), firstId)
  assert.equal(await countSessions(visit, { id: firstId }), 0)
  assert.equal(signedInEmailOf((await visit.get('/')).body), second)
})

test('a wrong password answers 401 with a message that does not say which field was wrong', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const res = await signIn(visit, email, 'not the password')
  assert.equal(res.statusCode, 401)
  assert.equal(formErrorOf(res.body), NO_MATCH)
  assert.equal(setCookieOf(res, 'sid'), undefined)
  assert.equal(signedInEmailOf(res.body), null)
})

test('an unknown email answers the same 401 and message as a wrong password', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const known = uniqueEmail()
  await createAccount(visit.db, known)
  const wrongPassword = await signIn(visit, known, 'not the password')
  const unknownEmail = await signIn(visit, uniqueEmail('nobody'), PASSWORD)
  assert.equal(unknownEmail.statusCode, 401)
  assert.equal(formErrorOf(unknownEmail.body), formErrorOf(wrongPassword.body))
  assert.equal(unknownEmail.body.replaceAll(/value="[^"]*"/g, ''), wrongPassword.body.replaceAll(/value="[^"]*"/g, ''))
})

test('a failed sign-in shows the form again with the email, remember and next kept, never the password', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const res = await signIn(visit, email, 'my secret guess', { remember: true, pageUrl: '/login?next=%2Forders' })
  assert.equal(res.statusCode, 401)
  assert.ok(res.body.includes(`value="${email}"`))
  assert.match(res.body, /name="next" value="\/orders"/)
  assert.match(res.body, /name="remember" type="checkbox" value="1" checked/)
  assert.ok(!res.body.includes('my secret guess'))
})

test('missing sign-in fields are a 401, like a wrong password', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const missing = await visit.post('/login', { _csrf: await visit.csrfToken('/login') })
  assert.equal(missing.statusCode, 401)
  assert.equal(formErrorOf(missing.body), NO_MATCH)
})

test('repeated sign-in fields are a 400 with the form and a message at each, not an error page', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const token = await visit.csrfToken('/login')
  const repeated = await visit.post('/login', { _csrf: token, email: ['a@x.test', 'b@x.test'], password: ['a', 'b'] })
  assert.equal(repeated.statusCode, 400)
  assert.deepEqual(fieldErrorsOf(repeated.body), [
    ['email', 'Enter your email address.'],
    ['password', 'Enter your password.'],
  ])
})

// Where a control character goes: no email or password can hold one, so the sign-in is refused as it stands.
const poisoned: [field: 'email' | 'password', where: string, poison: (value: string) => string][] = [
  ['email', 'a NUL inside', (value) => value.replace('@', '\u0000@')],
  ['email', 'a U+001F at the end', (value) => `${value}\u001f`],
  ['password', 'a DEL at the end', (value) => `${value}\u007f`],
  ['password', 'a NUL at the start', (value) => `\u0000${value}`],
]

for (const [field, where, poison] of poisoned) {
  test(`a control character in the ${field} (${where}) is a 400 with the form, and no failed attempt`, async (t) => {
    const visit = await startVisit(t, { databaseUrl })
    const email = uniqueEmail()
    await createAccount(visit.db, email)
    const fields = { email, password: PASSWORD }
    fields[field] = poison(fields[field])
    const failuresBefore = (await throttleFailures(visit)).length
    const res = await signIn(visit, fields.email, fields.password)
    assert.equal(res.statusCode, 400)
    assert.deepEqual(
      fieldErrorsOf(res.body).map(([name]) => name),
      [field],
    )
    assert.equal(setCookieOf(res, 'sid'), undefined)
    assert.equal((await throttleFailures(visit)).length, failuresBefore, 'no attempt was counted')
  })
}

test('a sign-in body that is not valid UTF-8 is a 400 with the form, not an error page', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const token = await visit.csrfToken('/login')
  const res = await visit.app.inject({
    method: 'POST',
    url: '/login',
    headers: {
      cookie: [...visit.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: `_csrf=${encodeURIComponent(token)}&email=ann%FF%40x.test&password=x`,
  })
  assert.equal(res.statusCode, 400)
  assert.match(res.body, /<form method="post" action="\/login"/)
  assert.match(res.body, /Enter an email address like name@example\.com\./)
})

test('an email far longer than any account can have is a 401, not an error page', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  // Random letters: a repeated one would compress into a small index entry and hide the problem.
  const res = await signIn(visit, `${randomBytes(10_000).toString('hex')}@x.test`, PASSWORD)
  assert.equal(res.statusCode, 401)
  assert.equal(formErrorOf(res.body), NO_MATCH)
})

test('signing out ends the session on the server, clears the cookie and goes home', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await signIn(visit, email)
  const sessionId = sessionIdOf(visit)
  const res = await visit.submit('/account', {}, '/logout')
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/')
  const cleared = setCookieOf(res, 'sid')
  assert.ok(cleared)
  assert.equal(cleared.value, '')
  assert.ok(cleared.expires && cleared.expires.getTime() < Date.now())
  assert.equal(await countSessions(visit, { id: sessionId }), 0)
  const home = await visit.get('/')
  assert.equal(signedInEmailOf(home.body), null)
})

test('the cookie of a signed-out session is treated as no session when replayed', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await signIn(visit, email)
  const oldCookie = visit.cookies.get('sid') as string
  await visit.submit('/account', {}, '/logout')
  const replay = new Visitor(visit.app)
  replay.cookies.set('sid', oldCookie)
  const res = await replay.get('/account')
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/login?next=%2Faccount')
})

test("signing out in one browser leaves the account's other sessions signed in", async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const other = new Visitor(visit.app)
  await signIn(visit, email)
  await signIn(other, email)
  await visit.submit('/account', {}, '/logout')
  assert.equal((await other.get('/account')).statusCode, 200)
})

test('signing out as a guest just goes home', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const token = await visit.csrfToken('/')
  const res = await visit.post('/logout', { _csrf: token })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/')
})

test('the sign-in page carries next from its query into the form', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const res = await visit.get('/login?next=%2Faccount%2Fsessions')
  assert.equal(res.statusCode, 200)
  assert.match(res.body, /<input type="hidden" name="next" value="\/account\/sessions">/)
  assert.match(res.body, /name="remember" type="checkbox"/)
})
