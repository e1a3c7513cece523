// Two-factor sign-in in Chromium: set up from the page (the secret read off it, the QR code an image the CSP
// allows), turned on with a code computed from that secret, then a sign-in that asks for the code. The codes
// come from otpauth in the test, at the real time of the shop's process (it runs on the system clock).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Page } from 'playwright-core'
import { totpCode } from '../two-factor/helpers.ts'
import { newEmail, PASSWORD, register, signOut } from './support/actions.ts'
import { checkPages } from './support/axe.ts'
import { openShopInBrowser } from './support/fixture.ts'

/** Sets two-factor up from the account page and turns it on; returns the secret the page showed. */
async function turnOn(page: Page): Promise<string> {
  await page.goto('/account')
  await page.getByRole('link', { name: 'Two-factor sign-in' }).click()
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click()
  const secret = (await page.locator('#totp-secret').innerText()).trim()
  await page.getByLabel('Code from the app').fill(totpCode(secret, new Date()))
  await page.getByRole('button', { name: 'Turn on' }).click()
  await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor()
  return secret
}

async function signInWithPassword(page: Page, email: string) {
  await page.goto('/login?next=%2Forders')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL('**/login/two-factor')
}

test('two-factor is turned on in the browser, and the next sign-in asks for a code', async (t) => {
  const { openPage } = await openShopInBrowser(t)
  const page = await openPage()
  const email = newEmail('two-factor')
  await register(page, email)
  let secret = ''

  await t.test('set-up shows the secret; its code turns two-factor on and shows 10 recovery codes', async () => {
    secret = await turnOn(page)
    assert.match(secret, /^[A-Z2-7]{32}$/)
    const codes = (await page.locator('#recovery-codes').innerText()).trim().split('\n')
    assert.equal(codes.length, 10)
  })

  await t.test('the two-factor page then says it is on', async () => {
    await page.goto('/account/two-factor')
    await page.getByText('Two-factor sign-in is on.').waitFor()
  })

  await t.test('signed out, the password leads to the code page, and the code signs in to next', async () => {
    await signOut(page)
    await signInWithPassword(page, email)
    await page.goto('/account')
    await page.waitForURL('**/login?next=%2Faccount')
    await signInWithPassword(page, email)
    // The next step's code: the one that turned two-factor on may still be the current one, and it is used.
    await page.getByLabel('Code').fill(totpCode(secret, new Date(), 1))
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/orders')
    await page.getByRole('link', { name: email }).waitFor()
  })
})

test('the QR code image loads under the shop’s Content-Security-Policy', async (t) => {
  const { openPage } = await openShopInBrowser(t)
  const page = await openPage()
  await register(page, newEmail('qr'))
  await page.goto('/account/two-factor')
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click()
  const image = page.getByRole('img', { name: /QR code/ })
  await image.waitFor()
  // No DOM types here (the project's lib is ES only): the image's own properties, read in the page.
  const loaded = await image.evaluate((img) => {
    const { complete, naturalWidth } = img as unknown as { complete: boolean; naturalWidth: number }
    return complete && naturalWidth > 0
  })
  assert.ok(loaded, 'the QR code image loaded')
})

test('the two-factor pages are free of serious and critical accessibility violations', async (t) => {
  const { openPage } = await openShopInBrowser(t)
  // axe is injected as an inline script, which the shop's CSP refuses; only this context bypasses it.
  const page = await openPage({ bypassCSP: true })
  const email = newEmail('axe-two-factor')
  let secret = ''
  await checkPages(t, page, [
    ['the two-factor page, off', (page) => register(page, email).then(() => page.goto('/account/two-factor'))],
    ['the set-up page', (page) => page.getByRole('button', { name: 'Set up two-factor sign-in' }).click()],
    [
      'the set-up page with a wrong code',
      async (page) => {
        secret = (await page.locator('#totp-secret').innerText()).trim()
        await page.getByLabel('Code from the app').fill('12')
        await page.getByRole('button', { name: 'Turn on' }).click()
        await page.locator('.field-error').waitFor()
      },
    ],
    [
      'the recovery codes',
      async (page) => {
        await page.getByLabel('Code from the app').fill(totpCode(secret, new Date()))
        await page.getByRole('button', { name: 'Turn on' }).click()
        await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor()
      },
    ],
    ['the two-factor page, on', (page) => page.goto('/account/two-factor')],
    [
      'the code page at sign-in',
      async (page) => {
        await signOut(page)
        await signInWithPassword(page, email)
      },
    ],
    [
      'the code page with a wrong code',
      async (page) => {
        await page.getByLabel('Code').fill('000000x')
        await page.getByRole('button', { name: 'Sign in' }).click()
        await page.locator('.field-error').waitFor()
      },
    ],
    [
      'the code page on a phone',
      (page) => page.setViewportSize({ width: 375, height: 800 }).then(() => page.goto('/login/two-factor')),
    ],
  ])
})
