// SIGTERM in the middle of a burst of page views, cart adds and sign-ins, as a deploy or a scale-down sends it:
// nothing the shop accepted is lost, and a restart finds every session and cart where it was.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { createTestDatabase } from '../helpers/database.ts'
import { Browser, cartCount } from './helpers/browser.ts'
import { cookieHeader, type Outcome, oneShot } from './helpers/one-shot.ts'
import { addToCart, cartOf, createAccounts, openDb, PASSWORD, signIn, userIdOf } from './helpers/shop-data.ts'
import { startShop } from './helpers/shop-process.ts'

const WORKERS = 16
const REQUESTS_PER_WORKER = 200
const BURST_BOUND_MS = 30_000

type Sent = { kind: 'page' | 'add' | 'cart' | 'sign-in'; key: string; outcome: Outcome }

const expected = { page: 200, add: 303, cart: 200, 'sign-in': 303 }

/** A clean refusal: no connection, or Fastify's 503 (with `Connection: close`) to a request that came while closing. */
const isRefusal = ({ outcome }: Sent) =>
  (outcome.kind === 'failed' && outcome.code === 'ECONNREFUSED') ||
  (outcome.kind === 'answered' && outcome.status === 503 && outcome.body.includes('"Service Unavailable"'))

const form = { 'content-type': 'application/x-www-form-urlencoded' }

test('on SIGTERM the shop finishes every request it accepted, refuses new connections and exits 0; after a restart every session and cart is there', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const db = openDb(t, databaseUrl)
  const shop = await startShop(t, { databaseUrl })
  const emails = await createAccounts(db, 'sigterm', 10)
  const shoppers = await Promise.all(
    emails.slice(0, 6).map(async (email) => {
      const browser = new Browser(shop.url)
      await signIn(browser, email)
      return { email, browser, token: await browser.csrfToken('/cart') }
    }),
  )
  // Visitors who will sign in during the burst, each with the sign-in form's token.
  const signers = await Promise.all(
    emails.slice(6).map(async (email) => {
      const browser = new Browser(shop.url)
      return { email, browser, token: await browser.csrfToken('/login') }
    }),
  )
  const guest = new Browser(shop.url)
  assert.equal((await addToCart(guest, await guest.csrfToken(), 8, 3)).status, 303)

  const sent: Sent[] = []
  const started = performance.now()
  async function worker(w: number) {
    for (let i = 0; i < REQUESTS_PER_WORKER && performance.now() - started < BURST_BOUND_MS; i++) {
      const shopper = shoppers[(w + i) % shoppers.length] ?? shoppers[0]
      const signer = signers[w % signers.length] ?? signers[0]
      if (shopper === undefined || signer === undefined) return
      const productId = ((w * 7 + i) % 12) + 1
      const step = i % 4
      let one: Sent
      if (step === 0) {
        one = { kind: 'page', key: '', outcome: await oneShot(`${shop.url}/`) }
      } else if (step === 1 || step === 2) {
        const body = new URLSearchParams({ _csrf: shopper.token, productId: String(productId), quantity: '1' })
        const headers = { ...form, cookie: shopper.browser.cookieHeader() }
        const outcome = await oneShot(`${shop.url}/cart/items`, { method: 'POST', headers, body: body.toString() })
        one = { kind: 'add', key: `${shopper.email}:${productId}`, outcome }
      } else if (w < signers.length) {
        const body = new URLSearchParams({ _csrf: signer.token, email: signer.email, password: PASSWORD })
        const headers = { ...form, cookie: signer.browser.cookieHeader() }
        const outcome = await oneShot(`${shop.url}/login`, { method: 'POST', headers, body: body.toString() })
        one = { kind: 'sign-in', key: signer.email, outcome }
      } else {
        one = {
          kind: 'cart',
          key: '',
          outcome: await oneShot(`${shop.url}/cart`, { headers: { cookie: shopper.browser.cookieHeader() } }),
        }
      }
      sent.push(one)
      // The shop said it is closing: this worker goes elsewhere, as a load balancer would.
      if (isRefusal(one)) return
    }
  }
  const burst = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)))
  while (sent.length < 60 && performance.now() - started < BURST_BOUND_MS) await sleep(10)
  const signalAt = performance.now()
  shop.child.kill('SIGTERM')
  await burst
  const exit = await shop.exited
  assert.deepEqual(exit, { code: 0, signal: null }, `exit after SIGTERM\n${shop.output}`)

  // Every request either got its whole answer, or was refused before the shop took it. Anything else (a reset,
  // an answer cut off, an error) is a request lost.
  const isComplete = ({ kind, outcome }: Sent) =>
    outcome.kind === 'answered' &&
    outcome.status === expected[kind] &&
    (kind !== 'page' || outcome.body.includes('</html>'))
  const lost = sent.filter((one) => !isRefusal(one) && !isComplete(one))
  assert.deepEqual(
    lost.map(({ kind, outcome }) => `${kind}: ${outcome.kind === 'answered' ? outcome.status : outcome.code}`),
    [],
    'requests lost',
  )
  const inFlight = sent.filter(
    (one) => one.outcome.startedAt < signalAt && one.outcome.endedAt > signalAt && isComplete(one),
  )
  assert.ok(inFlight.length > 0, 'some requests were being handled when the signal came, and were answered')
  assert.ok(sent.some(isRefusal), 'connections after the signal are refused')

  // The database holds exactly the adds that were answered, no more, no fewer.
  const added = new Map<string, number>()
  for (const { kind, key } of sent.filter((one) => one.kind === 'add' && isComplete(one))) {
    if (kind === 'add') added.set(key, (added.get(key) ?? 0) + 1)
  }
  for (const shopper of shoppers) {
    const expectedCart: Record<string, number> = {}
    for (const [key, count] of added) {
      const [email, productId = ''] = key.split(':')
      if (email === shopper.email) expectedCart[productId] = count
    }
    assert.deepEqual(await cartOf(db, { userId: await userIdOf(db, shopper.email) }), expectedCart, shopper.email)
  }

  const restarted = await startShop(t, { databaseUrl })
  for (const shopper of shoppers) {
    const again = shopper.browser.at(restarted.url)
    const account = await again.get('/account')
    assert.equal(account.status, 200, `${shopper.email} is still signed in`)
    assert.match(account.body, new RegExp(shopper.email))
    const cart = await cartOf(db, { userId: await userIdOf(db, shopper.email) })
    const items = Object.values(cart).reduce((sum, quantity) => sum + quantity, 0)
    assert.equal(cartCount((await again.get('/cart')).body), items)
  }
  const signIns = sent.filter((one) => one.kind === 'sign-in' && isComplete(one))
  for (const { key, outcome } of signIns) {
    if (outcome.kind !== 'answered') continue
    const signedIn = new Browser(restarted.url)
    for (const pair of cookieHeader(outcome.setCookies).split('; ')) {
      const [name = '', value = ''] = pair.split('=')
      signedIn.cookies.set(name, value)
    }
    const account = await signedIn.get('/account')
    assert.equal(account.status, 200, `the session of a sign-in answered during the burst (${key}) survives`)
  }
  assert.equal(cartCount((await guest.at(restarted.url).get('/cart')).body), 3, "a guest's cart survives")

  const refused = sent.filter(isRefusal).length
  t.diagnostic(
    `${sent.length} requests: ${inFlight.length} in flight at SIGTERM and answered; ${refused} refused cleanly; ` +
      `${lost.length} lost; ${signIns.length} sign-ins and ${[...added.values()].reduce((a, b) => a + b, 0)} adds kept`,
  )
})
