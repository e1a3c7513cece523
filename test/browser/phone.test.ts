// At a phone's width (375 px) the pages fit: nothing makes the visitor scroll sideways.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { addToCart, newEmail, openProduct, register } from './support/actions.ts'
import { openShopInBrowser } from './support/fixture.ts'

const PHONE = { viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true }

const pages: [string, (page: Page) => Promise<unknown>][] = [
  ['the catalog', (page) => page.goto('/')],
  ['a product page', (page) => openProduct(page, 'Ceramic Pour-Over Set')],
  [
    'the cart with lines',
    async (page) => {
      await addToCart(page, 'Ceramic Pour-Over Set')
      await addToCart(page, 'Walnut Desk Organizer')
      await page.goto('/cart')
    },
  ],
  ['the sign-in form', (page) => page.goto('/login')],
  ['the account page', (page) => register(page, newEmail('phone'))],
  ['the sessions page', (page) => page.goto('/account/sessions')],
  [
    'an order',
    async (page) => {
      await page.goto('/cart')
      await page.getByRole('button', { name: 'Check out' }).click()
      await page.getByRole('heading', { level: 1, name: /^Order #/ }).waitFor()
    },
  ],
  ['the order list', (page) => page.goto('/orders')],
]

// How far the widest scrolling box inside the page (a table's wrapper, say) would have to scroll sideways.
const INNER_OVERFLOW = `Math.max(0, ...[...document.querySelectorAll('*')]
  .filter((element) => ['auto', 'scroll'].includes(getComputedStyle(element).overflowX))
  .map((element) => element.scrollWidth - element.clientWidth))`

test('at 375 px wide no page, nor anything in it, scrolls sideways', async (t) => {
  const { openPage } = await openShopInBrowser(t)
  const page = await openPage(PHONE)
  for (const [name, open] of pages) {
    await t.test(name, async () => {
      await open(page)
      const width = await page.evaluate<number>('document.documentElement.scrollWidth')
      assert.ok(width <= PHONE.viewport.width, `${name} is ${width} px wide`)
      const overflow = await page.evaluate<number>(INNER_OVERFLOW)
      assert.equal(overflow, 0, `something in ${name} scrolls sideways by ${overflow} px`)
    })
  }
})
