// A forgotten password in Chromium, as a newcomer meets it with no mail server: the sign-in page's link, the
// message in /dev/mailbox, its link followed, a new password set and signed in with. axe on each new page.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createAccount, newEmail } from './support/actions.ts'
import { checkPages } from './support/axe.ts'
import { openShopInBrowser } from './support/fixture.ts'

const NEW_PASSWORD = 'a brand new passphrase'

test('a visitor who forgot the password gets back in through the link in /dev/mailbox', async (t) => {
  const { openPage } = await openShopInBrowser(t)
  const email = newEmail('forgot')
  await createAccount(openPage, email)
  // axe is injected as an inline script, which the shop's CSP refuses; only this context bypasses it.
  const page = await openPage({ bypassCSP: true })
  let resetUrl = ''

  await checkPages(t, page, [
    [
      'the forgot-password form, reached from the sign-in page',
      async (page) => {
        await page.goto('/login')
        await page.getByRole('link', { name: 'Forgot your password?' }).click()
        await page.waitForURL('**/password/forgot')
      },
    ],
    [
      'the answer to a request',
      async (page) => {
        await page.getByLabel('Email').fill(email)
        await page.getByRole('button', { name: 'Send the link' }).click()
        await page.getByRole('heading', { name: 'Check your email' }).waitFor()
      },
    ],
    [
      'the reset form, reached through the mailbox',
      async (page) => {
        await page.goto('/dev/mailbox')
        const row = page.getByRole('row').filter({ hasText: email })
        await row.getByRole('link', { name: 'Reset your Cartwheel password' }).click()
        await page.locator('a[href*="/password/reset/"]').click()
        await page.getByRole('heading', { name: 'Choose a new password' }).waitFor()
        resetUrl = page.url()
      },
    ],
    [
      'the reset form with a refused password',
      async (page) => {
        await page.getByLabel('New password').fill('short')
        await page.getByRole('button', { name: 'Set the password' }).click()
        await page.getByText('Use at least 8 characters.').waitFor()
      },
    ],
  ])

  await t.test('the new password is set, and signs in', async () => {
    await page.getByLabel('New password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Set the password' }).click()
    await page.waitForURL('**/login')
    await page.getByText('Your password is set. Sign in with your new password.').waitFor()
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/account')
    await page.getByText(`You are signed in as ${email}`).waitFor()
  })

  await checkPages(t, page, [
    [
      'the used link',
      async (page) => {
        const answer = await page.goto(resetUrl)
        assert.equal(answer?.status(), 400)
        await page.getByRole('link', { name: 'Ask for a new link' }).waitFor()
      },
    ],
  ])
})
