// The sign-in form with the keyboard alone: Tab to each field, type, Space on the checkbox, Enter on the button.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { createAccount, isFocused, newEmail, PASSWORD } from './support/actions.ts'
import { openShopInBrowser } from './support/fixture.ts'

/** Presses Tab until `target` has the focus; fails if it is not reached in `limit` presses. */
async function tabTo(page: Page, target: Locator, limit = 12): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab')
    if (await isFocused(target)) return
  }
  assert.fail(`Tab did not reach ${target} in ${limit} presses`)
}

test('a visitor signs in with the keyboard alone, "remember me" included', async (t) => {
  const { openPage } = await openShopInBrowser(t)
  const email = newEmail('keyboard')
  await createAccount(openPage, email)
  const page = await openPage()
  await page.goto('/login')

  await page.keyboard.press('Tab')
  assert.ok(await isFocused(page.getByRole('link', { name: 'Skip to content' })), 'the first Tab reaches the skip link')
  await tabTo(page, page.getByLabel('Email'))
  await page.keyboard.type(email)
  await page.keyboard.press('Tab')
  assert.ok(await isFocused(page.getByLabel('Password')), 'Tab goes from the email to the password')
  await page.keyboard.type(PASSWORD)
  await page.keyboard.press('Tab')
  const remember = page.getByRole('checkbox', { name: 'Remember me on this device' })
  assert.ok(await isFocused(remember), 'Tab goes from the password to "remember me"')
  await page.keyboard.press('Space')
  assert.equal(await remember.isChecked(), true)
  await page.keyboard.press('Tab')
  assert.ok(await isFocused(page.getByRole('button', { name: 'Sign in' })), 'Tab goes on to the Sign in button')
  await page.keyboard.press('Enter')

  await page.waitForURL('**/account')
  await page.getByText(`You are signed in as ${email}`).waitFor()
  const sid = (await page.context().cookies()).find((cookie) => cookie.name === 'sid')
  assert.ok(sid !== undefined && sid.expires > Date.now() / 1000, 'the remembered session cookie has an expiry')
})
