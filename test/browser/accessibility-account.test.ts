// axe-core on every signed-in page, at desktop and phone widths (tables become cards on a phone and must stay
// tables to a screen reader), and on the page for an expired form: no serious or critical violation.
import { test } from 'node:test'
import { addToCart, newEmail, PASSWORD, register } from './support/actions.ts'
import { checkPages, type PageVisit } from './support/axe.ts'
import { openShopInBrowser } from './support/fixture.ts'

const pages: PageVisit[] = [
  ['the account page', (page) => register(page, newEmail('axe'))],
  ['the sessions page', (page) => page.goto('/account/sessions')],
  ['the activity page', (page) => page.goto('/account/activity')],
  ['the email verification page', (page) => page.goto('/email/verify')],
  ['the password form', (page) => page.goto('/account/password')],
  [
    'the password form with errors',
    async (page) => {
      await page.getByLabel('Current password').fill(`not ${PASSWORD}`)
      await page.getByLabel('New password').fill('short')
      await page.getByRole('button', { name: 'Change password' }).click()
      await page.getByRole('alert').waitFor()
    },
  ],
  ['the empty order list', (page) => page.goto('/orders')],
  [
    'an order',
    async (page) => {
      await addToCart(page, 'Canvas Tote Bag')
      await addToCart(page, 'Linen Notebook')
      await page.goto('/cart')
      await page.getByRole('button', { name: 'Check out' }).click()
      await page.getByRole('heading', { level: 1, name: /^Order #/ }).waitFor()
    },
  ],
  ['the order list', (page) => page.goto('/orders')],
  [
    'the order list on a phone',
    async (page) => {
      await page.setViewportSize({ width: 375, height: 800 })
      await page.reload()
    },
  ],
  ['an order on a phone', (page) => page.getByRole('link', { name: /^Order #/ }).click()],
  ['the sessions page on a phone', (page) => page.goto('/account/sessions')],
  [
    'the cart with lines on a phone',
    async (page) => {
      await addToCart(page, 'Enamel Camp Mug')
      await page.goto('/cart')
    },
  ],
  [
    'the page for a form that has expired',
    async (page) => {
      await page.goto('/')
      // Signing out in another tab makes this tab's tokens worthless: they belong to the signed-in session.
      const otherTab = await page.context().newPage()
      await otherTab.goto('/account')
      await otherTab.getByRole('button', { name: 'Sign out' }).click()
      await otherTab.close()
      await page.getByRole('button', { name: 'Add to cart: Canvas Tote Bag' }).click()
      await page.getByRole('heading', { level: 1, name: 'Something is not right' }).waitFor()
    },
  ],
]

test("an account's pages are free of serious and critical accessibility violations", async (t) => {
  const { openPage } = await openShopInBrowser(t)
  // axe is injected as an inline script, which the shop's CSP refuses; only this context bypasses it.
  const page = await openPage({ bypassCSP: true })
  await checkPages(t, page, pages)
})
