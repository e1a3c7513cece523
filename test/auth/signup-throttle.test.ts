import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { reserveSignup } from '../../src/auth/signup-throttle.ts'
import { createFileDatabase, PASSWORD, uniqueEmail } from '../helpers/accounts.ts'
import { startApp } from '../helpers/app.ts'
import { Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()

// The tests share a database, so each registers from an address of its own (TRUST_PROXY believes the
// X-Forwarded-For of the proxy in front, which inject's loopback address is).
let addressCount = 0
const newAddress = () => `203.0.113.${++addressCount}`

const start = (t: Parameters<typeof startApp>[0], limit?: number) =>
  startApp(t, { databaseUrl, env: { TRUST_PROXY: '1', ...(limit ? { SIGNUP_LIMIT_PER_ADDRESS: String(limit) } : {}) } })

/** A new visitor registering from `address` with the register page's own token. */
async function register(app: FastifyInstance, address: string, fields: Record<string, string> = {}) {
  const visitor = new Visitor(app)
  const token = await visitor.csrfToken('/register')
  return visitor.post(
    '/register',
    { _csrf: token, email: uniqueEmail(), password: PASSWORD, ...fields },
    {
      'x-forwarded-for': address,
    },
  )
}

test('past the limit, registering from one address is a 429 with Retry-After and the form, until 15 minutes have passed', async (t) => {
  const { app, db, clock } = await start(t, 3)
  const address = newAddress()
  for (let i = 0; i < 3; i++) assert.equal((await register(app, address)).statusCode, 303)
  const email = uniqueEmail()
  const refused = await register(app, address, { email })
  assert.equal(refused.statusCode, 429)
  assert.equal(refused.headers['retry-after'], String(15 * 60))
  assert.match(refused.body, /<form method="post" action="\/register"/)
  assert.match(refused.body, /Too many requests from your network\. Try again in 15 minutes\./)
  assert.ok(refused.body.includes(`value="${email}"`), 'the email is kept')
  assert.equal(await db.prisma.user.count({ where: { email } }), 0)

  clock.advance(15 * 60 - 1)
  assert.equal((await register(app, address)).statusCode, 429, 'still within the window')
  clock.advance(1)
  assert.equal((await register(app, address, { email })).statusCode, 303)
})

test('60 registrations at once from one address make exactly 20 accounts, and the rest get 429', async (t) => {
  const { app, db } = await start(t)
  const address = newAddress()
  const visitors = Array.from({ length: 60 }, () => new Visitor(app))
  const tokens = await Promise.all(visitors.map((visitor) => visitor.csrfToken('/register')))
  const usersBefore = await db.prisma.user.count()
  const responses = await Promise.all(
    visitors.map((visitor, i) =>
      visitor.post(
        '/register',
        { _csrf: tokens[i] as string, email: uniqueEmail('burst'), password: PASSWORD },
        { 'x-forwarded-for': address },
      ),
    ),
  )
  const statuses = responses.map((res) => res.statusCode)
  assert.equal(statuses.filter((status) => status === 303).length, 20)
  assert.equal(statuses.filter((status) => status === 429).length, 40)
  assert.equal((await db.prisma.user.count()) - usersBefore, 20)
})

test('each client address has its own count', async (t) => {
  const { app } = await start(t, 2)
  const [first, second] = [newAddress(), newAddress()]
  for (let i = 0; i < 2; i++) assert.equal((await register(app, first)).statusCode, 303)
  assert.equal((await register(app, first)).statusCode, 429)
  assert.equal((await register(app, second)).statusCode, 303)
})

test('every instance sees the same count', async (t) => {
  const [one, other] = [await start(t, 2), await start(t, 2)]
  const address = newAddress()
  assert.equal((await register(one.app, address)).statusCode, 303)
  assert.equal((await register(other.app, address)).statusCode, 303)
  assert.equal((await register(one.app, address)).statusCode, 429)
  assert.equal((await register(other.app, address)).statusCode, 429)
})

test('a registration refused for its input costs no hash and is not counted; a taken email is', async (t) => {
  const { app } = await start(t, 2)
  const address = newAddress()
  const refusals: Record<string, string>[] = [
    { email: 'not an address' },
    { password: 'short' },
    { password: 'iloveyou' },
  ]
  for (const fields of refusals) {
    assert.equal((await register(app, address, fields)).statusCode, 400)
  }
  const email = uniqueEmail()
  assert.equal((await register(app, address, { email })).statusCode, 303)
  assert.equal((await register(app, address, { email })).statusCode, 409)
  assert.equal((await register(app, address)).statusCode, 429)
})

test('registering and asking for a password reset are counted apart', async (t) => {
  const { db, clock } = await start(t, 2)
  const address = newAddress()
  for (let i = 0; i < 2; i++) assert.ok((await reserveSignup(db, clock, 'register', address, 2)).isAllowed)
  assert.equal((await reserveSignup(db, clock, 'register', address, 2)).isAllowed, false)
  assert.ok((await reserveSignup(db, clock, 'forgot', address, 2)).isAllowed)
})
