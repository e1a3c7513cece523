// Passkeys in Chromium, through its virtual authenticator (a platform authenticator with user verification):
// add one, sign out, sign in with it, confirm with it, remove it. The pages run under the shop's own CSP
// (scripts from 'self' only); the axe checks run in a context of their own that bypasses it.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { newEmail, register, signOut } from './support/actions.ts'
import { checkPages } from './support/axe.ts'
import { openShopInBrowser } from './support/fixture.ts'

/** A virtual authenticator for the page's browser context: resident keys, fingerprint always accepted. */
async function addAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  })
  return { credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials }
}

async function addPasskey(page: Page) {
  await page.goto('/account')
  await page.getByRole('link', { name: 'Passkeys' }).click()
  await page.getByRole('button', { name: 'Add a passkey' }).click()
  await page.getByRole('status').filter({ hasText: 'Passkey added' }).waitFor()
}

const passkeyRows = (page: Page) => page.getByRole('table', { name: 'Your passkeys' }).locator('tbody tr')

test('a passkey is added, signs in without the password or email, confirms, and is removed', async (t) => {
  const { openPage } = await openShopInBrowser(t)
  const page = await openPage()
  const authenticator = await addAuthenticator(page)
  const email = newEmail('passkey')
  await register(page, email)

  await t.test('adding one lists it, named after the browser, never used', async () => {
    await addPasskey(page)
    assert.equal(await passkeyRows(page).count(), 1)
    assert.match(await passkeyRows(page).first().innerText(), /Chrom.*Never/s)
    assert.equal((await authenticator.credentials()).length, 1)
  })

  await t.test('signed out, "Use a passkey" on the sign-in page signs in and lands on the account page', async () => {
    await signOut(page)
    await page.goto('/login')
    await page.getByRole('button', { name: 'Use a passkey' }).click()
    await page.waitForURL('**/account')
    await page.getByRole('link', { name: email }).waitFor()
    await page.goto('/account/passkeys')
    assert.doesNotMatch(await passkeyRows(page).first().innerText(), /Never/)
  })

  await t.test('the confirm page takes the passkey instead of the password', async () => {
    await page.goto('/account/confirm?next=%2Faccount%2Fsessions')
    await page.getByRole('button', { name: 'Use a passkey' }).click()
    await page.waitForURL('**/account/sessions')
  })

  await t.test('removing it takes it off the list, and it signs in no more', async () => {
    await page.goto('/account/passkeys')
    await page.getByRole('button', { name: /^Remove the passkey/ }).click()
    await page.getByText('You have no passkeys yet.').waitFor()
    await signOut(page)
    await page.goto('/login')
    await page.getByRole('button', { name: 'Use a passkey' }).click()
    await page.getByRole('alert').filter({ hasText: 'did not sign you in' }).waitFor()
    await page.getByRole('link', { name: 'Sign in' }).waitFor()
  })
})

test('the passkey, email and delete pages are free of serious and critical accessibility violations', async (t) => {
  const { openPage } = await openShopInBrowser(t)
  // axe is injected as an inline script, which the shop's CSP refuses; only this context bypasses it.
  const page = await openPage({ bypassCSP: true })
  await addAuthenticator(page)
  await checkPages(t, page, [
    [
      'the passkeys page with none',
      (page) => register(page, newEmail('axe-passkey')).then(() => page.goto('/account/passkeys')),
    ],
    ['the passkeys page with one', (page) => addPasskey(page)],
    [
      'the passkeys page on a phone',
      (page) => page.setViewportSize({ width: 375, height: 800 }).then(() => page.reload()),
    ],
    ['the confirm page with a passkey button', (page) => page.goto('/account/confirm?next=%2Faccount')],
    ['the email form', (page) => page.goto('/account/email')],
    [
      'the email form with an error',
      async (page) => {
        await page.getByLabel('New email').fill('not an address')
        await page.getByRole('button', { name: 'Send the link' }).click()
        await page.locator('.field-error').waitFor()
      },
    ],
    ['a link that does not work', (page) => page.goto('/account/email/not-a-token')],
    ['the delete form', (page) => page.goto('/account/delete')],
    [
      'the sign-in page with the passkey button',
      async (page) => {
        await page.getByLabel('Type your email address to confirm').fill('someone@else.test')
        await page.getByRole('button', { name: 'Delete my account' }).click()
        await page.locator('.field-error').waitFor()
        await signOut(page)
        await page.goto('/login')
        await page.getByText('Or sign in with a passkey').waitFor()
      },
    ],
  ])
})
