// Load held: sixteen shoppers at once browsing, adding to their carts and signing out and in again, against
// the shop's own process: 200 actions each, over 3,200 requests, bounded by count (not time, which a shared CI
// machine would make flaky). Nothing fails, and the database holds exactly what the answers said.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, createAccounts, PASSWORD, signIn } from '../helpers/accounts.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { cartRows, openDb, userIdOf } from '../helpers/shop-data.ts'
import { httpVisitor, type Page } from '../helpers/visitor.ts'
import { startShop } from './helpers/shop-process.ts'

const ACTIONS_PER_SHOPPER = 200
const ACCOUNTS = 12
const GUESTS = 4

type Kind = 'browse' | 'add' | 'sign-out' | 'sign-in'

/** A small deterministic generator, so that every run asks for the same mix. */
function random(seed: number) {
  let state = seed
  return (below: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state % below
  }
}

test('over 3,200 requests of browsing, adds and sign-ins: no request fails, and every cart holds exactly the adds that were answered', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const db = openDb(t, databaseUrl)
  const shop = await startShop(t, { databaseUrl })
  const emails = await createAccounts(db, 'load', ACCOUNTS)

  const latencies: number[] = []
  const failures: string[] = []
  const counts = new Map<Kind, number>()
  const added = new Map<string, number>()
  function record(kind: Kind, page: Page, expected: number) {
    latencies.push(page.ms)
    counts.set(kind, (counts.get(kind) ?? 0) + 1)
    if (page.status !== expected) failures.push(`${kind}: ${page.status}`)
  }

  async function shopper(index: number, email: string | null) {
    const next = random(index + 1)
    const browser = httpVisitor(shop.url)
    if (email !== null) assert.equal((await signIn(browser, email)).status, 303)
    let token = await browser.csrfToken('/')
    const owner = email ?? `guest-${index}`
    for (let action = 0; action < ACTIONS_PER_SHOPPER; action++) {
      const roll = next(100)
      if (roll < 55) {
        const path = ['/', `/products/${next(12) + 1}`, '/cart'][next(3)] ?? '/'
        record('browse', await browser.get(path), 200)
      } else if (roll < 95 || email === null) {
        const productId = next(12) + 1
        const page = await addToCart(browser, productId, 1, { csrfToken: token })
        record('add', page, 303)
        if (page.status === 303) added.set(`${owner}:${productId}`, (added.get(`${owner}:${productId}`) ?? 0) + 1)
      } else {
        record('sign-out', await browser.post('/logout', { _csrf: token }), 303)
        const signInPage = await browser.get('/login')
        const form = /name="_csrf" value="([^"]+)"/.exec(signInPage.body)?.[1] ?? ''
        record('sign-in', await browser.post('/login', { _csrf: form, email, password: PASSWORD }), 303)
        token = await browser.csrfToken('/')
      }
    }
  }

  const startedAt = performance.now()
  await Promise.all([
    ...emails.map((email, i) => shopper(i, email)),
    ...Array.from({ length: GUESTS }, (_, i) => shopper(ACCOUNTS + i, null)),
  ])
  const seconds = (performance.now() - startedAt) / 1000

  assert.deepEqual(failures, [], 'every request answered as expected')
  for (const email of emails) {
    const expected: Record<string, number> = {}
    for (const [key, count] of added) {
      const [owner, productId = ''] = key.split(':')
      if (owner === email) expected[productId] = count
    }
    assert.deepEqual(await cartRows(db, { userId: await userIdOf(db, email) }), expected, `${email}'s cart`)
  }
  const guestLines = await db.prisma.cartItem.aggregate({ where: { userId: null }, _sum: { quantity: true } })
  const guestAdds = [...added].filter(([key]) => key.startsWith('guest-')).reduce((sum, [, count]) => sum + count, 0)
  assert.equal(guestLines._sum.quantity ?? 0, guestAdds, "the guests' carts hold every add")
  assert.equal(await db.prisma.session.count(), ACCOUNTS + GUESTS, 'one live session per shopper, none left behind')
  assert.equal(await db.prisma.loginFailure.count(), 0, 'no sign-in failed')

  const sorted = latencies.toSorted((a, b) => a - b)
  const percentile = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]
  const mix = [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ')
  t.diagnostic(
    `${latencies.length} requests in ${seconds.toFixed(1)} s (${Math.round(latencies.length / seconds)}/s; ${mix}); ` +
      `latency p50 ${percentile(50)} ms, p99 ${percentile(99)} ms, max ${sorted.at(-1)} ms`,
  )
})
