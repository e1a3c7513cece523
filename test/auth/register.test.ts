import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createAccount, createFileDatabase, PASSWORD, sessionIdOf, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { signedInEmailOf } from '../helpers/pages.ts'
import { countSessions, storedSessionOrThrow } from '../helpers/session-store.ts'

const databaseUrl = await createFileDatabase()

const fieldErrors = (html: string) => [...html.matchAll(/<p class="field-error" id="([^"]+)-error">([^<]*)</g)]
const erroredFields = (html: string) => fieldErrors(html).map(([, field]) => field)

test('registering creates the account, signs in and sends the visitor to their account page', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  const res = await visit.submit('/register', { email, password: PASSWORD })
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account')
  const account = await visit.get('/account')
  assert.equal(account.statusCode, 200)
  assert.equal(signedInEmailOf(account.body), email)
  const user = await visit.db.prisma.user.findUniqueOrThrow({ where: { email } })
  const session = await storedSessionOrThrow(visit, sessionIdOf(visit))
  assert.equal(session.userId, user.id)
})

test('a registered email is stored trimmed and in lower case', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const res = await visit.submit('/register', { email: '  Ann.Lee@X.Test ', password: PASSWORD })
  assert.equal(res.statusCode, 303)
  assert.equal(await visit.db.prisma.user.count({ where: { email: 'ann.lee@x.test' } }), 1)
  assert.equal(await visit.db.prisma.user.count({ where: { email: { contains: 'Ann.Lee' } } }), 0)
})

test('the stored password is an argon2id hash, never the password itself', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await visit.submit('/register', { email, password: PASSWORD })
  const user = await visit.db.prisma.user.findUniqueOrThrow({ where: { email } })
  const [, algorithm, , parameters = ''] = user.passwordHash.split('$')
  assert.equal(algorithm, 'argon2id')
  // At least OWASP's minimum: 19 MiB of memory, 2 passes, 1 lane.
  const { m, t: passes, p: lanes } = Object.fromEntries(parameters.split(',').map((pair) => pair.split('=')))
  assert.ok(Number(m) >= 19_456 && Number(passes) >= 2 && Number(lanes) >= 1, parameters)
  assert.ok(!user.passwordHash.includes(PASSWORD))
})

const badInputs = [
  { case: 'an email that is not an address', email: 'ann.x.test', password: PASSWORD, field: 'email' },
  { case: 'an empty email', email: '', password: PASSWORD, field: 'email' },
  { case: 'an email with a space in it', email: 'ann lee@x.test', password: PASSWORD, field: 'email' },
  { case: 'an email of 255 characters', email: `${'a'.repeat(246)}@x.test.io`, password: PASSWORD, field: 'email' },
  { case: 'a password of 7 characters', email: 'seven@x.test', password: 'seven77', field: 'password' },
  { case: 'a password of 257 characters', email: 'long@x.test', password: 'p'.repeat(257), field: 'password' },
]

for (const input of badInputs) {
  test(`${input.case} is refused with 400, a message at that field and the email kept`, async (t) => {
    const visit = await startVisit(t, { databaseUrl })
    const usersBefore = await visit.db.prisma.user.count()
    const res = await visit.submit('/register', { email: input.email, password: input.password })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(erroredFields(res.body), [input.field])
    assert.ok(res.body.includes(`autocomplete="email" value="${input.email}"`), 'the email is shown again')
    assert.ok(!res.body.includes(input.password), 'the password is not shown again')
    assert.equal(await visit.db.prisma.user.count(), usersBefore)
    assert.equal(visit.cookies.has('sid'), false)
  })
}

// A control character once made PostgreSQL refuse the email, and the shop answer 500.
for (const [field, value, message] of [
  ['email', 'ann\u0000@x.test', 'Enter an email address like name@example.com.'],
  ['email', 'ann@x.test\u007f', 'Enter an email address like name@example.com.'],
  ['email', '\u0008ann@x.test', 'Enter an email address like name@example.com.'],
  ['password', `${PASSWORD}\u0000`, 'A password cannot contain control characters.'],
  ['password', `\u001b${PASSWORD}`, 'A password cannot contain control characters.'],
] as const) {
  test(`a control character in the ${field} (${JSON.stringify(value)}) is a 400 with the form and its message`, async (t) => {
    const visit = await startVisit(t, { databaseUrl })
    const usersBefore = await visit.db.prisma.user.count()
    const fields = { email: uniqueEmail(), password: PASSWORD, [field]: value }
    const res = await visit.submit('/register', fields)
    assert.equal(res.statusCode, 400)
    assert.deepEqual(
      fieldErrors(res.body).map(([, name, shown]) => [name, shown]),
      [[field, message]],
    )
    assert.equal(await visit.db.prisma.user.count(), usersBefore)
  })
}

test('a registration that is not valid UTF-8 is a 400 with the form, not an error page', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const token = await visit.csrfToken('/register')
  const res = await visit.app.inject({
    method: 'POST',
    url: '/register',
    headers: {
      cookie: [...visit.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: `_csrf=${encodeURIComponent(token)}&email=ann%C0%AF%40x.test&password=${encodeURIComponent(PASSWORD)}`,
  })
  assert.equal(res.statusCode, 400)
  assert.deepEqual(erroredFields(res.body), ['email'])
})

test('the messages say what is wrong in words a visitor understands', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const short = await visit.submit('/register', { email: 'ann@x.test', password: 'short' })
  assert.match(short.body, /Use at least 8 characters\./)
  const long = await visit.submit('/register', { email: 'ann@x.test', password: 'p'.repeat(257) })
  assert.match(long.body, /Use at most 256 characters\./)
  const notAnAddress = await visit.submit('/register', { email: 'ann', password: PASSWORD })
  assert.match(notAnAddress.body, /Enter an email address like name@example\.com\./)
  const empty = await visit.submit('/register', { email: '', password: PASSWORD })
  assert.match(empty.body, /Enter your email address\./)
})

test('a bad email and a bad password each get their own single message', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const res = await visit.submit('/register', { email: 'nope', password: 'short' })
  assert.equal(res.statusCode, 400)
  assert.deepEqual(erroredFields(res.body), ['email', 'password'])
})

for (const password of ['8chars!!', 'p'.repeat(256), '🔑'.repeat(8)]) {
  test(`a password of ${[...password].length} characters like ${password.slice(0, 8)}… is accepted`, async (t) => {
    const visit = await startVisit(t, { databaseUrl })
    const res = await visit.submit('/register', { email: uniqueEmail(), password })
    assert.equal(res.statusCode, 303)
  })
}

for (const variant of ['same', 'Capitalised', ' leading space', 'UPPER CASE AND SPACES  ']) {
  test(`registering an existing email (${variant}) is 409 with the form and creates nothing`, async (t) => {
    const visit = await startVisit(t, { databaseUrl })
    const email = uniqueEmail()
    await createAccount(visit.db, email)
    const asTyped = {
      same: email,
      Capitalised: email[0]?.toUpperCase() + email.slice(1),
      ' leading space': ` ${email}`,
      'UPPER CASE AND SPACES  ': `${email.toUpperCase()}  `,
    }[variant] as string
    const res = await visit.submit('/register', { email: asTyped, password: 'another password' })
    assert.equal(res.statusCode, 409)
    assert.deepEqual(
      fieldErrors(res.body).map(([, field, message]) => [field, message]),
      [['email', 'An account with this email already exists. Sign in instead?']],
    )
    assert.ok(res.body.includes(`value="${email}"`))
    assert.ok(!res.body.includes('another password'))
    assert.equal(await visit.db.prisma.user.count({ where: { email: { equals: email, mode: 'insensitive' } } }), 1)
    assert.equal(signedInEmailOf(res.body), null)
  })
}

test('two registrations of one email at the same moment make one account and one 409', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  const token = await visit.csrfToken('/register')
  const post = () => visit.post('/register', { _csrf: token, email, password: PASSWORD })
  const statuses = (await Promise.all([post(), post()])).map((res) => res.statusCode).sort()
  assert.deepEqual(statuses, [303, 409])
  assert.equal(await visit.db.prisma.user.count({ where: { email } }), 1)
})

test('repeated or missing fields are a 400 with the form, not an error page', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const token = await visit.csrfToken('/register')
  const repeated = await visit.post('/register', { _csrf: token, email: ['a@x.test', 'b@x.test'], password: PASSWORD })
  assert.equal(repeated.statusCode, 400)
  assert.match(repeated.body, /Enter your email address\./)
  const missing = await visit.post('/register', { _csrf: token })
  assert.equal(missing.statusCode, 400)
  assert.deepEqual(erroredFields(missing.body), ['email', 'password'])
})

test('an email shown again is escaped, never run as markup', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const res = await visit.submit('/register', { email: '"><script>alert(1)</script>', password: PASSWORD })
  assert.equal(res.statusCode, 400)
  assert.ok(!res.body.includes('<script>alert(1)</script>'))
  assert.match(res.body, /&lt;script&gt;/)
})

test("a guest's cart lines move to the new account, and the guest session ends", async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  await visit.submit('/', {}, '/cart/items')
  const guestId = sessionIdOf(visit)
  const email = uniqueEmail()
  await visit.submit('/register', { email, password: PASSWORD })
  assert.notEqual(sessionIdOf(visit), guestId)
  assert.equal(await countSessions(visit, { id: guestId }), 0)
  const user = await visit.db.prisma.user.findUniqueOrThrow({ where: { email } })
  assert.equal(await visit.db.prisma.cartItem.count({ where: { userId: user.id } }), 1)
  assert.match((await visit.get('/cart')).body, /data-testid="cart-count"[^>]*>1</)
})

test('the session row never holds the password', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  await visit.submit('/register', { email: uniqueEmail(), password: PASSWORD })
  await visit.get('/account')
  const session = await storedSessionOrThrow(visit, sessionIdOf(visit))
  assert.ok(!JSON.stringify(session).includes(PASSWORD))
})
