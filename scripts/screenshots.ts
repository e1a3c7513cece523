// `npm run screenshots`: starts the shop as the browser suite does (a fresh database on TEST_DATABASE_URL's
// server, or the embedded test cluster under .data/), fills a cart, places an order, and photographs the main
// pages at desktop and phone widths into docs/screenshots/. Viewport-sized PNGs keep the repository small.
import { randomBytes } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { addToCart, openProduct, PASSWORD, register } from '../test/browser/support/actions.ts'
import { launchBrowser } from '../test/browser/support/browser.ts'
import { startShop } from '../test/browser/support/shop.ts'
import { databaseUrlOn, findPostgresServer, runOnServer } from './postgres-server.ts'

const outDir = path.resolve(import.meta.dirname, '../docs/screenshots')
const WIDTHS: Record<string, BrowserContextOptions> = {
  desktop: { viewport: { width: 1280, height: 800 } },
  phone: { viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true },
}
// A second browser of the same account, so the sessions page shows what it is for.
const PHONE_SAFARI =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.5 Mobile/15E148 Safari/604.1'

async function shoot(page: Page, name: string): Promise<void> {
  await page.waitForLoadState('networkidle')
  await page.screenshot({ path: path.join(outDir, `${name}.png`) })
  console.log(`docs/screenshots/${name}.png`)
}

async function photographAt(browser: Browser, baseURL: string, width: string): Promise<void> {
  const context = await browser.newContext({ ...WIDTHS[width], baseURL })
  const page = await context.newPage()
  await addToCart(page, 'Ceramic Pour-Over Set')
  await addToCart(page, 'Linen Notebook')
  await page.goto('/cart')
  await page.getByLabel('Quantity of Linen Notebook', { exact: true }).fill('2')
  await page.getByRole('button', { name: 'Update quantity of Linen Notebook' }).click()
  await page.goto('/')
  await shoot(page, `${width}-catalog`)
  await openProduct(page, 'Walnut Desk Organizer')
  await shoot(page, `${width}-product`)
  await page.goto('/cart')
  await shoot(page, `${width}-cart`)
  await page.goto('/login')
  await shoot(page, `${width}-sign-in`)

  const email = `ann.${width}@example.test`
  await register(page, email)
  await signInFromAnIphone(browser, baseURL, email)
  await page.goto('/cart')
  await page.getByRole('button', { name: 'Check out' }).click()
  await page.getByRole('heading', { level: 1, name: /^Order #/ }).waitFor()
  await shoot(page, `${width}-order`)
  await page.goto('/account/sessions')
  await shoot(page, `${width}-sessions`)
  await page.goto('/account/activity')
  await shoot(page, `${width}-activity`)
  // The registration's link, the iPhone's new-browser notice and the order: what a newcomer reads first.
  await page.goto('/dev/mailbox')
  await shoot(page, `${width}-mailbox`)
  await page.goto('/account/passkeys')
  await shoot(page, `${width}-passkeys`)
  // Right after registering, so confirmed: the set-up page with its QR code and key.
  await page.goto('/account/two-factor')
  await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click()
  await page.getByRole('img', { name: /QR code/ }).waitFor()
  await shoot(page, `${width}-two-factor-setup`)
  await addToCart(page, 'Canvas Tote Bag')
  await page.goto('/session')
  await shoot(page, `${width}-session`)
  await context.close()
}

/** Signs the account in from "an iPhone" too. */
async function signInFromAnIphone(browser: Browser, baseURL: string, email: string): Promise<void> {
  const context = await browser.newContext({ baseURL, userAgent: PHONE_SAFARI })
  const page = await context.newPage()
  await page.goto('/login')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL('**/account')
  await context.close()
}

const server = await findPostgresServer('test-postgres', console.log)
const database = `cw_screenshots_${randomBytes(4).toString('hex')}`
await runOnServer(server.url, `CREATE DATABASE "${database}"`)
try {
  const shop = await startShop(databaseUrlOn(server.url, database))
  const browser = await launchBrowser()
  try {
    await mkdir(outDir, { recursive: true })
    for (const width of Object.keys(WIDTHS)) await photographAt(browser, shop.url, width)
  } finally {
    await browser.close()
    await shop.stop()
  }
} finally {
  await runOnServer(server.url, `DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`)
  await server.stop()
}
