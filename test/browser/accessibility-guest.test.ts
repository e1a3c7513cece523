// axe-core on every page a guest meets, in the states a visitor meets it: no serious or critical violation.
// Also: form errors are announced where a screen reader finds them. The signed-in pages are in
// accessibility-account.test.ts; two files, so the two halves run side by side.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, openProduct } from './support/actions.ts'
import { checkPages, type PageVisit } from './support/axe.ts'
import { openShopInBrowser } from './support/fixture.ts'

const pages: PageVisit[] = [
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
]

test("a guest's pages have no serious or critical accessibility violations, and form errors are announced", async (t) => {
  const { openPage } = await openShopInBrowser(t)
  // axe is injected as an inline script, which the shop's CSP refuses; only this context bypasses it.
  const page = await openPage({ bypassCSP: true })
  await checkPages(t, page, pages)

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
