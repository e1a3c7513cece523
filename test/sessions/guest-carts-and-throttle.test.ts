// What PostgreSQL keeps for Redis' sessions ends with them (a guest's cart, through its anchor row and the
// sweep), and the sign-in throttle's counters on Redis are exact under parallel guesses and expire.
import assert from 'node:assert/strict'
import { addToCart, createAccount, sessionIdOf, uniqueEmail } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { Visitor } from '../helpers/visitor.ts'
import { fileDatabaseOnRedis, keysOf, redisOf, redisTest } from './helpers.ts'

const databaseUrl = await fileDatabaseOnRedis()
const keys = keysOf(databaseUrl)
const WINDOW_MS = 15 * 60 * 1000

redisTest('a guest cart ends with its session: the sweep deletes the anchor and the lines', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const kept = new Visitor(visit.app)
  for (const guest of [visit, kept]) assert.equal(guest.statusOf(await addToCart(guest, 1, 2)), 303)
  const [gone, live] = [sessionIdOf(visit) ?? '', sessionIdOf(kept) ?? '']
  const linesOf = (sessionId: string) => visit.db.prisma.cartItem.count({ where: { sessionId } })
  assert.equal(await visit.db.prisma.session.count({ where: { id: { in: [gone, live] } } }), 2, 'anchor rows')
  assert.equal(await linesOf(gone), 1)
  // As expiry would: the key goes, nothing else is told.
  await redisOf(visit.app).del(keys.session(gone))
  await visit.app.sessions.sweep()
  assert.equal(await linesOf(gone), 1, 'within the grace an anchor is left alone')
  visit.clock.advance(61)
  await visit.app.sessions.sweep()
  assert.equal(await visit.db.prisma.session.count({ where: { id: gone } }), 0)
  assert.equal(await linesOf(gone), 0, 'the lines went with the anchor')
  assert.equal(await linesOf(live), 1, 'a guest whose session lives keeps its cart')
})

redisTest('12 parallel wrong guesses: 5 evaluated, 7 get 429 with Retry-After; the counters expire', async (t) => {
  const visit = await startVisit(t, { databaseUrl })
  const email = uniqueEmail()
  await createAccount(visit.db, email)
  const _csrf = await visit.csrfToken('/login')
  const guesses = await Promise.all(
    Array.from({ length: 12 }, (_, i) =>
      visit.app.inject({
        method: 'POST',
        url: '/login',
        remoteAddress: '198.51.100.12',
        headers: { cookie: visit.cookies.header(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf, email, password: `wrong guess ${i}` }).toString(),
      }),
    ),
  )
  const statuses = guesses.map((res) => res.statusCode)
  assert.equal(statuses.filter((status) => status === 401).length, 5, `statuses ${statuses}`)
  const refused = guesses.filter((res) => res.statusCode === 429)
  assert.equal(refused.length, 7, `statuses ${statuses}`)
  for (const res of refused) assert.ok(Number(res.headers['retry-after']) > 0)
  const counters = await redisOf(visit.app).keys(`${keys.attempts('')}*`)
  assert.equal(counters.length, 2, 'one counter for the email, one for the address')
  for (const key of counters) {
    const pttl = await redisOf(visit.app).pttl(key)
    assert.ok(pttl > 0 && pttl <= WINDOW_MS, `${key} PTTL ${pttl}`)
  }
})
