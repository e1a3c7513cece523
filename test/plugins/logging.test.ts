// What the shop logs while people register, mistype and change passwords: never a password.
import assert from 'node:assert/strict'
import { Writable } from 'node:stream'
import { test } from 'node:test'
import { buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { signIn, uniqueEmail } from '../helpers/accounts.ts'
import { TEST_SECRET } from '../helpers/app.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { Visitor } from '../helpers/visitor.ts'

test('no password reaches the log, at any level, whatever the form does with it', async (t) => {
  let logged = ''
  const stream = new Writable({
    write(chunk, _encoding, done) {
      logged += chunk
      done()
    },
  })
  const config = {
    ...loadConfig({ NODE_ENV: 'test' }),
    databaseUrl: await createTestDatabase(t),
    sessionSecret: TEST_SECRET,
  }
  const app = await buildApp(config, { logger: { level: 'trace', stream } })
  t.after(() => app.close())
  const visitor = new Visitor(app)
  const email = uniqueEmail()
  const passwords = ['first secret password', 'wrong guess password', 'second secret password', 'short']

  assert.equal((await visitor.submit('/register', { email, password: passwords[0] })).statusCode, 303)
  await visitor.submit('/logout', {}, '/logout')
  assert.equal((await signIn(visitor, email, passwords[1])).statusCode, 401)
  assert.equal((await signIn(visitor, email, passwords[0])).statusCode, 303)
  const change = (current: string, next: string) =>
    visitor.submit('/account/password', { current_password: current, new_password: next })
  assert.equal((await change(passwords[0], passwords[3])).statusCode, 400)
  assert.equal((await change(passwords[0], passwords[2])).statusCode, 303)

  assert.ok(logged.length > 0, 'the requests were logged')
  for (const password of passwords) assert.ok(!logged.includes(password), `"${password}" is in the log`)
})
