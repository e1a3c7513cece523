// The back button with CSRF tokens: an old page's form may be posted again. A token lasts its whole session,
// so that works; a token from before signing in is refused with a page that says what to do, never an error.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page, Response } from 'playwright-core'
import { addToCart, createAccount, headerCartCount, newEmail, PASSWORD } from './support/actions.ts'
import { openShopInBrowser } from './support/fixture.ts'

/** Clicks a submit button and answers the response to the POST it sends (before any redirect). */
async function submitWith(page: Page, buttonName: string): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((response) => response.request().method() === 'POST'),
    page.getByRole('button', { name: buttonName }).click(),
  ])
  return response
}

test('the back button and CSRF tokens', async (t) => {
  const { openPage } = await openShopInBrowser(t)

  await t.test('a form reached with the back button after a POST can be sent again in the same session', async () => {
    const page = await openPage()
    await addToCart(page, 'Canvas Tote Bag')
    await page.goBack()
    await page.getByRole('heading', { level: 1, name: 'Canvas Tote Bag' }).waitFor()
    const response = await submitWith(page, 'Add to cart: Canvas Tote Bag')
    assert.equal(response.status(), 303)
    await page.getByText('Added Canvas Tote Bag to your cart.').waitFor()
    assert.equal(await headerCartCount(page), 2)
  })

  await t.test(
    'a form from before signing in, reached with the back button, fails kindly and works after a reload',
    async (t) => {
      const email = newEmail('back')
      await createAccount(openPage, email)
      const page = await openPage()
      await page.goto('/products/1')
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign in' }).click()
      await page.getByLabel('Email').fill(email)
      await page.getByLabel('Password').fill(PASSWORD)
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL('**/account')
      await page.goBack()
      await page.goBack()
      await page.getByRole('heading', { level: 1, name: 'Canvas Tote Bag' }).waitFor()

      const response = await submitWith(page, 'Add to cart: Canvas Tote Bag')
      // Chromium may show the page from its cache (a guest's token: 403) or load it again (a fresh token: 303).
      t.diagnostic(`the form from the back button was answered ${response.status()}`)
      if (response.status() === 403) {
        await page.getByRole('heading', { level: 1, name: 'Something is not right' }).waitFor()
        await page.getByText('This form has expired or did not come from this site.').waitFor()
        // Doing what the page says: go back, reload, try again.
        await page.goBack()
        await page.reload()
        assert.equal((await submitWith(page, 'Add to cart: Canvas Tote Bag')).status(), 303)
      } else {
        assert.equal(response.status(), 303)
      }
      await page.getByText('Added Canvas Tote Bag to your cart.').waitFor()
      assert.equal(await headerCartCount(page), 1)
    },
  )
})
