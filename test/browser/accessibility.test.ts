// axe-core on every distinct page of the shop, in the states a visitor meets them: no serious or critical
// violation anywhere. Runs as one visit, so each page is reached the way a person reaches it.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { addToCart, newEmail, openProduct, PASSWORD, register } from './support/actions.ts'
import { describeViolations, isSeriousOrWorse, runAxe } from './support/axe.ts'
import { openShopInBrowser } from './support/fixture.ts'

const pages: [string, (page: Page) => Promise<unknown>][] = [
  ['the catalog', (page) => page.goto('/')],
  ['a product page', (page) => openProduct(page, 'Canvas Tote Bag')],
  ['the empty cart', (page) => page.goto('/cart')],
  ['the not-found page', (page) => page.goto('/products/999999')],
  ['the registration form', (page) => page.goto('/register')],
  [
    'the registration form with errors',
    async (page) => {
      await page.getByLabel('Email').fill('not an address')
      await page.getByRole('button', { name: 'Create account' }).click()
      await page.getByRole('alert').waitFor()
    },
  ],
  ['the sign-in form', (page) => page.goto('/login')],
  [
    'the sign-in form after a wrong password',
    async (page) => {
      await page.getByLabel('Email').fill('nobody@example.test')
      await page.getByLabel('Password').fill('not the password')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.getByRole('alert').waitFor()
    },
  ],
  [
    'the cart with lines',
    async (page) => {
      await addToCart(page, 'Canvas Tote Bag')
      await addToCart(page, 'Linen Notebook')
      await page.goto('/cart')
    },
  ],
  ['the account page', (page) => register(page, newEmail('axe'))],
  ['the sessions page', (page) => page.goto('/account/sessions')],
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
      await page.goto('/cart')
      await page.getByRole('button', { name: 'Check out' }).click()
      await page.getByRole('heading', { level: 1, name: /^Order #/ }).waitFor()
    },
  ],
  ['the order list', (page) => page.goto('/orders')],
]

test('every page of the shop is free of serious and critical accessibility violations', async (t) => {
  const { shop, browser } = await openShopInBrowser(t)
  // axe is injected as an inline script, which the shop's CSP refuses; only this context bypasses it.
  const context = await browser.newContext({ bypassCSP: true, baseURL: shop.url })
  const page = await context.newPage()
  for (const [name, open] of pages) {
    await t.test(name, async (t) => {
      await open(page)
      const { passes, violations } = await runAxe(page)
      t.diagnostic(`axe: ${passes.length} rules passed, ${violations.length} violated`)
      for (const line of describeViolations(violations).split('\n').filter(Boolean)) t.diagnostic(line)
      assert.equal(describeViolations(violations.filter(isSeriousOrWorse)), '')
    })
  }
})
