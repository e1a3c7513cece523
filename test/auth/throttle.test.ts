import assert from 'node:assert/strict'
import { test } from 'node:test'
import { reserveAttempt, THROTTLE_WINDOW_SECONDS } from '../../src/auth/throttle.ts'
import type { Database } from '../../src/db/client.ts'
import { postgresAttempts } from '../../src/sessions/postgres-attempts.ts'
import {
  addToCart,
  createAccount,
  createFileDatabase,
  PASSWORD,
  sessionIdOf,
  signIn,
  uniqueEmail,
} from '../helpers/accounts.ts'
import { startVisit, type TestApp } from '../helpers/app.ts'
import { recordFailures } from '../helpers/throttle-store.ts'
import { Visitor } from '../helpers/visitor.ts'

const databaseUrl = await createFileDatabase()

const WINDOW_SECONDS = 15 * 60
let addressCount = 0
/** Every test signs in from its own client address, so the per-address counts of tests do not add up. */
const uniqueAddress = () => `10.0.${Math.floor(++addressCount / 250)}.${addressCount % 250}`

/** A visitor that knows its app, to send what inject alone can (a client address). */
type VisitOfApp = Visitor & Pick<TestApp, 'app'>

/** A sign-in POST from `remoteAddress`, with a token the visitor's sign-in page carries. */
async function attempt(visitor: VisitOfApp, remoteAddress: string, email: string, password: string, token?: string) {
  const _csrf = token ?? (await visitor.csrfToken('/login'))
  const cookie = visitor.cookies.header()
  return visitor.app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress,
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf, email, password }).toString(),
  })
}

async function failTimes(visitor: VisitOfApp, remoteAddress: string, email: string, times: number) {
  const token = await visitor.csrfToken('/login')
  for (let i = 0; i < times; i++) {
    const res = await attempt(visitor, remoteAddress, email, `wrong guess ${i}`, token)
    assert.equal(res.statusCode, 401, `failure ${i + 1} is evaluated`)
  }
}

test('after 5 failures the 6th attempt gets 429 with Retry-After, even with the right password', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const [email, address] = [uniqueEmail(), uniqueAddress()]
  await createAccount(visit.db, email)
  await failTimes(visit, address, email, 5)
  const res = await attempt(visit, address, email, PASSWORD)
  assert.equal(res.statusCode, 429)
  const retryAfter = Number(res.headers['retry-after'])
  assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= WINDOW_SECONDS, `Retry-After ${retryAfter}`)
  assert.match(res.body, /Too many failed attempts\. Try again in 15 minutes\./)
  assert.equal(
    res.cookies.some((cookie) => cookie.name === 'sid'),
    false,
  )
})

test('the throttle holds for the email from any client address', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  await failTimes(visit, uniqueAddress(), email, 5)
  const res = await attempt(visit, uniqueAddress(), email, PASSWORD)
  assert.equal(res.statusCode, 429)
})

test('failures count per email whatever its case or spaces', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const [email, address] = [uniqueEmail(), uniqueAddress()]
  await createAccount(visit.db, email)
  const token = await visit.csrfToken('/login')
  for (const typed of [
    email.toUpperCase(),
    ` ${email}`,
    `${email} `,
    email[0]?.toUpperCase() + email.slice(1),
    email,
  ]) {
    assert.equal((await attempt(visit, address, typed, 'wrong guess', token)).statusCode, 401)
  }
  assert.equal((await attempt(visit, address, email, PASSWORD, token)).statusCode, 429)
})

test('an unknown email is throttled like a known one', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const [email, address] = [uniqueEmail('nobody'), uniqueAddress()]
  await failTimes(visit, address, email, 5)
  assert.equal((await attempt(visit, address, email, PASSWORD)).statusCode, 429)
})

test('once the 15-minute window has passed, the right password signs in', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const [email, address] = [uniqueEmail(), uniqueAddress()]
  await createAccount(visit.db, email)
  await failTimes(visit, address, email, 5)
  visit.clock.advance(WINDOW_SECONDS - 1)
  assert.equal((await attempt(visit, address, email, PASSWORD)).statusCode, 429, 'a second before the end')
  visit.clock.advance(1)
  const res = await attempt(visit, address, email, PASSWORD)
  assert.equal(res.statusCode, 303)
  assert.equal(res.headers.location, '/account')
})

test('Retry-After counts down to the end of the window', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const [email, address] = [uniqueEmail(), uniqueAddress()]
  await failTimes(visit, address, email, 5)
  visit.clock.advance(600)
  const res = await attempt(visit, address, email, PASSWORD)
  assert.equal(res.statusCode, 429)
  assert.equal(res.headers['retry-after'], String(WINDOW_SECONDS - 600))
  assert.match(res.body, /Try again in 5 minutes\./)
})

test('a successful sign-in forgets the email’s earlier failures', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const [email, address] = [uniqueEmail(), uniqueAddress()]
  await createAccount(visit.db, email)
  await failTimes(visit, address, email, 4)
  assert.equal((await attempt(visit, address, email, PASSWORD)).statusCode, 303)
  // Without the reset these would be failures 5 to 8, and the 6th attempt would be refused.
  await failTimes(visit, address, email, 4)
  assert.equal((await attempt(visit, address, email, PASSWORD)).statusCode, 303)
})

test('a client address with 50 failures across different emails gets 429 for any email', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const address = uniqueAddress()
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const token = await visit.csrfToken('/login')
  // Ten emails, five failures each, in parallel batches: no email reaches its own limit of 5 before the 50th.
  for (let round = 0; round < 5; round++) {
    const batch = Array.from({ length: 10 }, (_, i) => attempt(visit, address, `guess${i}@x.test`, 'wrong', token))
    assert.deepEqual(
      (await Promise.all(batch)).map((res) => res.statusCode),
      Array(10).fill(401),
    )
  }
  const blocked = await attempt(visit, address, email, PASSWORD, token)
  assert.equal(blocked.statusCode, 429)
  assert.ok(Number(blocked.headers['retry-after']) <= WINDOW_SECONDS)
  const elsewhere = await attempt(visit, uniqueAddress(), email, PASSWORD, token)
  assert.equal(elsewhere.statusCode, 303, 'the same account signs in from another address')
})

test('attempts refused for their client address do not count against the email', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const address = uniqueAddress()
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  // The address's 50 failures, recorded directly: counting them is the test above.
  const failedAt = visit.clock.now()
  await recordFailures(visit, `ip:${address}`, 50, failedAt)
  const token = await visit.csrfToken('/login')
  for (let i = 0; i < 5; i++) assert.equal((await attempt(visit, address, email, 'wrong', token)).statusCode, 429)
  assert.equal((await attempt(visit, uniqueAddress(), email, PASSWORD, token)).statusCode, 303)
})

test('of 12 wrong guesses sent at once, only 5 are evaluated and the rest get 429', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const [email, address] = [uniqueEmail(), uniqueAddress()]
  await createAccount(visit.db, email)
  const token = await visit.csrfToken('/login')
  const responses = await Promise.all(
    Array.from({ length: 12 }, (_, i) => attempt(visit, address, email, `guess ${i}`, token)),
  )
  const statuses = responses.map((res) => res.statusCode)
  assert.equal(statuses.filter((status) => status === 401).length, 5)
  assert.equal(statuses.filter((status) => status === 429).length, 7)
})

test('a throttled visitor who then waits signs in through the page as usual', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  for (let i = 0; i < 5; i++) await signIn(visit, email, 'wrong guess')
  assert.equal((await signIn(visit, email)).statusCode, 429)
  visit.clock.advance(WINDOW_SECONDS)
  assert.equal((await signIn(visit, email)).statusCode, 303)
  assert.ok(sessionIdOf(visit))
})

test('a burst of 100 guesses at one email gets only 401s and 429s, and the shop keeps serving others', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const [email, address] = [uniqueEmail(), uniqueAddress()]
  const shopper = new Visitor(visit.app)
  await addToCart(shopper, 1)
  const token = await visit.csrfToken('/login')
  const burst = Promise.all(Array.from({ length: 100 }, (_, i) => attempt(visit, address, email, `guess ${i}`, token)))
  const pages = await Promise.all(Array.from({ length: 5 }, () => shopper.get('/cart')))
  assert.deepEqual(
    pages.map((page) => page.statusCode),
    Array(5).fill(200),
  )
  const statuses = (await burst).map((res) => res.statusCode)
  assert.equal(statuses.filter((status) => status === 401).length, 5)
  assert.equal(statuses.filter((status) => status === 429).length, 95)
})

test('parallel attempts at one email hold one database connection at a time, not one each', async (t) => {
  const { db, clock } = await startVisit(t, { databaseUrl })
  let open = 0
  let mostOpen = 0
  // The real database, with its transactions counted while they are open.
  const countingSql = Object.create(db.sql, {
    transaction: {
      value: async (...args: Parameters<Database['sql']['transaction']>) => {
        mostOpen = Math.max(mostOpen, ++open)
        try {
          return await db.sql.transaction(...args)
        } finally {
          open -= 1
        }
      },
    },
  })
  const countingDb = { ...db, sql: countingSql }
  const keys = { email: uniqueEmail(), ip: uniqueAddress() }
  const reservations = await Promise.all(
    Array.from({ length: 20 }, () =>
      reserveAttempt(postgresAttempts(countingDb, clock, THROTTLE_WINDOW_SECONDS), keys),
    ),
  )
  assert.equal(reservations.filter((reservation) => reservation.isAllowed).length, 5)
  assert.equal(mostOpen, 1)
})
