// What a visitor does, the way a person finds it on the page: by role, label and button text.
import type { Locator, Page } from 'playwright-core'
import type { OpenPage } from './fixture.ts'

export const PASSWORD = 'correct horse battery staple'

/** A new address per call, so tests never collide on an account. */
export function newEmail(name: string): string {
  return `${name}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.test`
}

export async function openProduct(page: Page, productName: string): Promise<void> {
  await page.goto('/')
  await page.getByRole('link', { name: productName }).click()
  await page.getByRole('heading', { level: 1, name: productName }).waitFor()
}

/** Adds a product from its own page; the shop comes back to that page and says so. */
export async function addToCart(page: Page, productName: string): Promise<void> {
  await openProduct(page, productName)
  await page.getByRole('button', { name: `Add to cart: ${productName}` }).click()
  await page.getByText(`Added ${productName} to your cart.`).waitFor()
}

/** Registers, then follows the link of the registration's mail, as a shopper does before a first checkout. */
export async function register(page: Page, email: string, password = PASSWORD, { verify = true } = {}) {
  await page.goto('/register')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.waitForURL('**/account')
  if (verify) await verifyEmail(page, email)
}

/** Opens the registration's mail in /dev/mailbox (no MAIL_URL here) and follows its link back to /account. */
export async function verifyEmail(page: Page, email: string): Promise<void> {
  await page.goto('/dev/mailbox')
  const row = page.getByRole('row').filter({ hasText: email })
  await row.getByRole('link', { name: 'Confirm your email address' }).click()
  await page.locator('a[href*="/email/verify/"]').click()
  await page.waitForURL('**/account')
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('link', { name: 'Sign in' }).waitFor()
}

/** The count in the header's cart link. */
export async function headerCartCount(page: Page): Promise<number> {
  const text = await page.getByRole('navigation', { name: 'Main' }).getByTestId('cart-count').textContent()
  return Number(text)
}

/** An account made in a browser context of its own, so the caller's cookies are untouched. */
export async function createAccount(openPage: OpenPage, email: string): Promise<void> {
  const page = await openPage()
  try {
    await register(page, email)
  } finally {
    await page.context().close()
  }
}

export async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element.matches(':focus'))
}
