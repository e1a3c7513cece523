// What every browser test file needs: a fresh database cloned from the suite's template, the shop listening
// on it, and a browser. Torn down in reverse, so the database is dropped only once nothing uses it.
import type { TestContext } from 'node:test'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { createTestDatabase } from '../../helpers/database.ts'
import { launchBrowser } from './browser.ts'
import { type Shop, startShop } from './shop.ts'

// Generous: other test files, and other people's test runs, share two cores with this one.
const ACTION_TIMEOUT_MS = 60_000

/** Opens a page in a browser context of its own (its own cookies), with the shop as its base URL. */
export type OpenPage = (options?: BrowserContextOptions) => Promise<Page>

export async function openShopInBrowser(
  t: Pick<TestContext, 'after'>,
): Promise<{ openPage: OpenPage; databaseUrl: string }> {
  let databaseUrl: string | undefined
  let shop: Shop | undefined
  let browser: Browser | undefined
  // Registered first, so it runs before the database is dropped (after-hooks run in the order they were added).
  t.after(async () => {
    await browser?.close()
    await shop?.stop()
  })
  // Each is kept as soon as it is up, so that one failing to start does not leave the other running.
  await Promise.all([
    createTestDatabase(t)
      .then((url) => {
        databaseUrl = url
        return startShop(url)
      })
      .then((started) => {
        shop = started
      }),
    launchBrowser().then((launched) => {
      browser = launched
    }),
  ])
  if (databaseUrl === undefined || shop === undefined || browser === undefined) {
    throw new Error('the shop or the browser did not start')
  }
  const [baseURL, running] = [shop.url, browser]
  return {
    databaseUrl,
    openPage: async (options = {}) => {
      const context = await running.newContext({ baseURL, ...options })
      context.setDefaultTimeout(ACTION_TIMEOUT_MS)
      return context.newPage()
    },
  }
}
