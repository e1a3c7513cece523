import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isCommonPassword } from '../../src/auth/common-passwords.ts'
import { createAccount, createFileDatabase, PASSWORD, signIn, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()

const TOO_COMMON = 'This password is too common. Choose another.'
const fieldErrors = (html: string) =>
  [...html.matchAll(/<p class="field-error" id="([^"]+)-error">([^<]*)</g)].map(([, field, message]) => [
    field,
    message,
  ])

// Long enough for the length rule, and among the most used passwords there are, whatever the case.
const COMMON = ['password1', 'iloveyou', 'qwertyuiop', 'Password1', 'ILOVEYOU', '1qaz2wsx']

for (const password of COMMON) {
  test(`registering with the common password ${password} is a 400 that says so, and makes no account`, async (t) => {
    const visit = await startVisit(t, { databaseUrl })
    const email = uniqueEmail()
    const res = await visit.submit('/register', { email, password })
    assert.equal(res.statusCode, 400)
    assert.deepEqual(fieldErrors(res.body), [['password', TOO_COMMON]])
    assert.ok(res.body.includes(`value="${email}"`), 'the email is kept')
    assert.equal(await visit.db.prisma.user.count({ where: { email } }), 0)
  })
}

test('changing to a common password is a 400 that says so, and the old password still works', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await signIn(visit, email)
  const res = await visit.submit('/account/password', { current_password: PASSWORD, new_password: 'iloveyou' })
  assert.equal(res.statusCode, 400)
  assert.deepEqual(fieldErrors(res.body), [['new_password', TOO_COMMON]])
  assert.equal((await signIn(new Visitor(visit.app), email, 'iloveyou')).statusCode, 401)
  assert.equal((await signIn(new Visitor(visit.app), email, PASSWORD)).statusCode, 303)
})

test('a password that is not among the common ones is accepted', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const res = await visit.submit('/register', { email: uniqueEmail(), password: 'plum kettle orbit' })
  assert.equal(res.statusCode, 303)
})

test('the list holds the most common passwords, short and long, and not everything', () => {
  for (const password of ['123456', 'password', 'qwerty', 'dragon', 'letmein', 'trustno1', 'PASSWORD']) {
    assert.ok(isCommonPassword(password), password)
  }
  for (const password of ['plum kettle orbit', PASSWORD, 'x7#Lq9!vR2']) assert.ok(!isCommonPassword(password), password)
})
