// A database outage, played by a TCP proxy between the shop's process and PostgreSQL: the shop answers 503
// within seconds instead of hanging, stays up, writes nothing half-way, and comes back by itself.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, createAccounts, signIn } from '../helpers/accounts.ts'
import { openCheckout } from '../helpers/checkout.ts'
import { headerCount } from '../helpers/pages.ts'
import { cartRows, userIdOf } from '../helpers/shop-data.ts'
import { httpVisitor, type Page } from '../helpers/visitor.ts'
import { elapsed, LEAK, repeatUntil } from './helpers/answers.ts'
import { startShopBehindProxy } from './helpers/proxied-shop.ts'
import type { Outage } from './helpers/tcp-proxy.ts'

// The shop's own worst case is about 6 s (src/db/client.ts: 2 s for a connection, then 4 s for an answer);
// 2 s more for a machine shared with the other test files.
const ANSWER_BOUND_MS = 8_000
const RECOVERY_BOUND_MS = 15_000

for (const outage of ['refuse', 'blackhole', 'stall'] satisfies Outage[]) {
  test(`a database outage (${outage}) is a 503 within seconds; once it is over the shop recovers by itself with sessions and carts intact`, async (t) => {
    const { proxy, shop, db } = await startShopBehindProxy(t)
    const [email = ''] = await createAccounts(db, `outage-${outage}`, 1)
    const ann = httpVisitor(shop.url)
    assert.equal((await signIn(ann, email)).status, 303)
    const annToken = await ann.csrfToken('/cart')
    assert.equal((await addToCart(ann, 1, 2, { csrfToken: annToken })).status, 303)
    assert.equal((await addToCart(ann, 5, 1, { csrfToken: annToken })).status, 303)
    const guest = httpVisitor(shop.url)
    const guestToken = await guest.csrfToken('/')
    assert.equal((await addToCart(guest, 3, 4, { csrfToken: guestToken })).status, 303)
    const annId = await userIdOf(db, email)
    const guestSessionId = (await db.prisma.session.findFirstOrThrow({ where: { userId: null } })).id
    const before = {
      ann: await cartRows(db, { userId: annId }),
      guest: await cartRows(db, { sessionId: guestSessionId }),
    }
    // Several pooled connections, so that a stall catches more than one.
    await Promise.all(Array.from({ length: 6 }, () => ann.get('/')))

    const outageCheckout = { ...(await openCheckout(ann)), _csrf: annToken }
    proxy.cut(outage)
    const cutAt = performance.now()
    const anyone = httpVisitor(shop.url)
    // More requests than the pool has connections: the ones that wait for a connection must not hang either.
    const requests: [string, () => Promise<Page>][] = [
      ['GET /healthz', () => anyone.get('/healthz')],
      ['GET /', () => anyone.get('/')],
      ['GET / (signed in)', () => ann.get('/')],
      ['GET /products/2', () => anyone.get('/products/2')],
      ['GET /cart (signed in)', () => ann.get('/cart')],
      ['GET /cart (guest)', () => guest.get('/cart')],
      ['GET /account', () => ann.get('/account')],
      ['GET /orders', () => ann.get('/orders')],
      ['POST /cart/items', () => addToCart(ann, 7, 1, { csrfToken: annToken })],
      ['POST /cart/items (guest)', () => addToCart(guest, 3, 1, { csrfToken: guestToken })],
      ['POST /cart/items/1', () => ann.post('/cart/items/1', { _csrf: annToken, quantity: '9' })],
      ['POST /checkout', () => ann.post('/checkout', outageCheckout)],
      ...Array.from({ length: 6 }, (_, i): [string, () => Promise<Page>] => [
        `GET /products/${i + 1}`,
        () => anyone.get(`/products/${i + 1}`),
      ]),
    ]
    const detectedAfterMs = await anyone.get('/healthz').then((page) => {
      assert.equal(page.status, 503, '/healthz during the outage')
      return elapsed(cutAt)
    })
    const answers = await Promise.all(requests.map(([, request]) => request()))
    const slowestMs = Math.max(...answers.map((page) => page.ms))
    for (const [i, page] of answers.entries()) {
      const name = requests[i]?.[0]
      assert.equal(page.status, 503, `${name} during the outage`)
      assert.ok(page.ms < ANSWER_BOUND_MS, `${name} took ${page.ms} ms`)
      assert.doesNotMatch(page.body, LEAK, `${name} shows no internals`)
      if (name !== 'GET /healthz') assert.match(page.body, /cannot reach its database/, `${name} says what is wrong`)
    }
    assert.ok(shop.isRunning, `the shop exited during the outage:\n${shop.output}`)

    proxy.restore()
    const isOk = (page: Page) => page.status === 200
    const recoveries = await Promise.all([
      repeatUntil(() => anyone.get('/healthz'), isOk, RECOVERY_BOUND_MS),
      repeatUntil(() => ann.get('/cart'), isOk, RECOVERY_BOUND_MS),
    ])
    const recoveredAfterMs = Math.max(...recoveries.map((recovery) => recovery.ms))
    // Every request is served again: no connection left over from the outage is still in the pool.
    const after = await Promise.all(Array.from({ length: 15 }, (_, i) => anyone.get(`/products/${(i % 12) + 1}`)))
    assert.deepEqual(
      after.map((page) => page.status),
      after.map(() => 200),
    )

    assert.deepEqual(await cartRows(db, { userId: annId }), before.ann, 'nothing written during the outage')
    assert.deepEqual(await cartRows(db, { sessionId: guestSessionId }), before.guest)
    assert.equal(await db.prisma.order.count(), 0)
    assert.match((await ann.get('/account')).body, new RegExp(email), 'still signed in')
    assert.equal(headerCount((await ann.get('/cart')).body), 3)
    assert.equal(headerCount((await guest.get('/cart')).body), 4)
    const checkout = await ann.post('/checkout', await openCheckout(ann))
    assert.equal(checkout.status, 303, 'a checkout works again')

    t.diagnostic(
      `outage detected after ${detectedAfterMs} ms, slowest answer ${slowestMs} ms, recovered after ${recoveredAfterMs} ms`,
    )
  })
}
