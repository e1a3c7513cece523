// The session page in a real browser: what it says of the cookies is what the browser really holds, and it
// is free of accessibility violations at desktop width and on a 375 px phone.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { Locator, Page } from 'playwright-core'
import { addToCart, newEmail, register } from './support/actions.ts'
import { runAxe } from './support/axe.ts'
import { openShopInBrowser } from './support/fixture.ts'

/** The value a list shows for `term`. */
function shownFor(list: Locator, term: string): Promise<string> {
  const item = list
    .locator('.facts__item')
    .filter({ has: list.page().getByRole('term').getByText(term, { exact: true }) })
  return item.locator('.facts__value').innerText()
}

const browserSide = (page: Page) => page.getByRole('region', { name: 'Your browser holds' })
const serverSide = (page: Page) => page.getByRole('region', { name: 'The server keeps' })

async function assertNoAxeViolations(page: Page): Promise<void> {
  const { violations } = await runAxe(page)
  assert.deepEqual(
    violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(', ')}`),
    [],
  )
}

test('signed in, the session page shows both sides as the browser and the server hold them', async (t) => {
  const { openPage } = await openShopInBrowser(t)
  // axe is injected as an inline script, which the shop's CSP refuses; only this context bypasses it.
  const page = await openPage({ bypassCSP: true })
  const email = newEmail('session-page')
  await register(page, email)
  await addToCart(page, 'Linen Notebook')
  await page.getByRole('link', { name: 'See your own session' }).click()
  await page.getByRole('heading', { level: 1, name: 'Your session' }).waitFor()

  await t.test("the browser's side: sid's first 8 characters, and the cookie's real flags", async () => {
    const sid = (await page.context().cookies()).find((cookie) => cookie.name === 'sid')
    assert.ok(sid, 'the browser holds a sid cookie')
    const sidList = browserSide(page).locator('dl').first()
    assert.equal(await shownFor(sidList, 'Value'), `${sid.value.slice(0, 8)}…`)
    assert.equal(await shownFor(sidList, 'HttpOnly'), sid.httpOnly ? 'Yes' : 'No')
    assert.equal(await shownFor(sidList, 'Expires'), 'None: it ends when the browser closes')
    assert.equal(sid.expires, -1, 'a cookie that ends with the browser')
    assert.equal(sid.sameSite, 'Lax')
    assert.equal(await page.evaluate('document.cookie'), '', 'no script can read either cookie')
    assert.ok(!(await page.content()).includes(sid.value.slice(0, 9)))
  })

  await t.test("the server's side: whose it is, when it ends and why, and the cart", async () => {
    const server = serverSide(page)
    const list = server.locator('dl')
    assert.equal(await shownFor(list, 'Whose'), email)
    assert.equal(await shownFor(list, 'Remembered'), 'No')
    assert.match(await shownFor(list, 'Ends'), /UTC \(in (29|30) minutes\)$/)
    assert.match(await server.getByRole('listitem').innerText(), /^1 × Linen Notebook$/)
  })

  await t.test('at desktop width the two sides sit side by side, with no accessibility violation', async () => {
    const [browserBox, serverBox] = [await browserSide(page).boundingBox(), await serverSide(page).boundingBox()]
    assert.ok(browserBox && serverBox && serverBox.x > browserBox.x + browserBox.width - 1, 'side by side')
    await assertNoAxeViolations(page)
  })

  await t.test('on a 375 px phone they stack, nothing scrolls sideways, and no accessibility violation', async () => {
    await page.setViewportSize({ width: 375, height: 800 })
    const [browserBox, serverBox] = [await browserSide(page).boundingBox(), await serverSide(page).boundingBox()]
    assert.ok(browserBox && serverBox && serverBox.y >= browserBox.y + browserBox.height, 'stacked')
    assert.ok((await page.evaluate<number>('document.documentElement.scrollWidth')) <= 375)
    await assertNoAxeViolations(page)
  })
})
