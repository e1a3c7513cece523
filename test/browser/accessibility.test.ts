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
  // Tables become cards on a phone; they must stay tables to a screen reader.
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

test('every page of the shop is free of serious and critical accessibility violations', async (t) => {
  const { openPage } = await openShopInBrowser(t)
  // axe is injected as an inline script, which the shop's CSP refuses; only this context bypasses it.
  const page = await openPage({ bypassCSP: true })
  for (const [name, open] of pages) {
    await t.test(name, async (t) => {
      await open(page)
      const { passes, violations } = await runAxe(page)
      t.diagnostic(`axe: ${passes.length} rules passed, ${violations.length} violated`)
      for (const line of describeViolations(violations).split('\n').filter(Boolean)) t.diagnostic(line)
      assert.equal(describeViolations(violations.filter(isSeriousOrWorse)), '')
    })
  }

  await t.test('a field with an error is marked invalid and described by the message beside it', async () => {
    await page.goto('/register')
    await page.getByLabel('Email').fill('not an address')
    await page.getByLabel('Password').fill('short')
    await page.getByRole('button', { name: 'Create account' }).click()
    assert.equal(await page.getByRole('alert').innerText(), 'Please correct the fields marked below.')
    for (const [label, message] of [
      ['Email', 'Enter an email address like name@example.com.'],
      ['Password', 'Use at least 8 characters.'],
    ]) {
      const field = page.getByLabel(label)
      assert.equal(await field.getAttribute('aria-invalid'), 'true', `${label} is marked invalid`)
      const descriptionId = await field.getAttribute('aria-describedby')
      assert.equal(await page.locator(`#${descriptionId}`).innerText(), message)
      // Beside its field: the next thing after the input, not a list at the top of the form.
      assert.equal(await field.evaluate((input) => input.nextElementSibling?.id), descriptionId)
    }
  })

  await t.test('a failed sign-in is announced without marking which field was wrong', async () => {
    await page.goto('/login')
    await page.getByLabel('Email').fill('nobody@example.test')
    await page.getByLabel('Password').fill('not the password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    assert.equal(await page.getByRole('alert').innerText(), 'That email and password do not match an account.')
    assert.equal(await page.locator('[aria-invalid="true"]').count(), 0)
  })
})
