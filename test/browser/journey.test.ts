// A shopper's whole visit in a real browser, with the shop's CSP in force: browse, fill a cart as a guest,
// register, sign out, come back through the sign-in page with "remember me", check out, review sessions.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart, headerCartCount, newEmail, PASSWORD, register, signOut } from './support/actions.ts'
import { openShopInBrowser } from './support/fixture.ts'

const DAY_SECONDS = 24 * 60 * 60

test('a shopper browses, fills a cart as a guest, registers, signs back in and checks out', async (t) => {
  const { openPage } = await openShopInBrowser(t)
  const page = await openPage()
  const context = page.context()
  // A CSP violation or a script error shows up here: the shop must work without either.
  const problems: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
  const email = newEmail('journey')

  await t.test('the catalog lists the products with their prices', async () => {
    await page.goto('/')
    await page.getByRole('heading', { level: 1, name: 'Catalog' }).waitFor()
    const card = page.getByRole('listitem').filter({ hasText: 'Canvas Tote Bag' })
    assert.match(await card.innerText(), /\$24\.00/)
    assert.equal(await headerCartCount(page), 0)
  })

  await t.test('a guest adds a product from its page and the header counts it on the next page', async () => {
    await page.getByRole('link', { name: 'Canvas Tote Bag' }).click()
    await page.getByRole('heading', { level: 1, name: 'Canvas Tote Bag' }).waitFor()
    await page.getByRole('button', { name: 'Add to cart: Canvas Tote Bag' }).click()
    await page.getByText('Added Canvas Tote Bag to your cart.').waitFor()
    assert.equal(new URL(page.url()).pathname, '/products/1')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Catalog' }).click()
    await page.getByRole('heading', { level: 1, name: 'Catalog' }).waitFor()
    assert.equal(await headerCartCount(page), 1)
  })

  await t.test('in the cart the guest changes a quantity and removes a line', async () => {
    await addToCart(page, 'Linen Notebook')
    await page.getByRole('link', { name: /^Cart \d+ items?$/ }).click()
    await page.getByLabel('Quantity of Canvas Tote Bag', { exact: true }).fill('3')
    await page.getByRole('button', { name: 'Update quantity of Canvas Tote Bag' }).click()
    await page.getByText('Quantity updated.').waitFor()
    assert.equal(await page.getByLabel('Quantity of Canvas Tote Bag', { exact: true }).inputValue(), '3')
    await page.getByRole('button', { name: 'Remove Linen Notebook' }).click()
    await page.getByText('Removed from your cart.').waitFor()
    assert.equal(await page.getByRole('row', { name: /Linen Notebook/ }).count(), 0)
    assert.match(await page.getByRole('row', { name: /^Total/ }).innerText(), /3 items\)\s+\$72\.00/)
    assert.equal(await headerCartCount(page), 3)
  })

  await t.test('registering keeps the cart', async () => {
    await register(page, email)
    await page.getByText(`You are signed in as ${email}`).waitFor()
    assert.equal(await headerCartCount(page), 3)
  })

  await t.test('after signing out the account page sends to sign-in, and back after signing in', async () => {
    await signOut(page)
    assert.equal(await headerCartCount(page), 0)
    await page.goto('/account')
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/login?next=%2Faccount')
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByLabel('Remember me on this device').check()
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/account')
    await page.getByText(`You are signed in as ${email}`).waitFor()
  })

  await t.test('"remember me" gives the session cookie an expiry weeks ahead', async () => {
    const sid = (await context.cookies()).find((cookie) => cookie.name === 'sid')
    assert.ok(sid, 'a sid cookie is set')
    assert.ok(sid.expires > Date.now() / 1000 + 7 * DAY_SECONDS, `sid expires at ${sid.expires}`)
    assert.equal(sid.httpOnly, true)
    assert.equal(sid.sameSite, 'Lax')
  })

  await t.test('checking out turns the cart into an order the shopper can see', async () => {
    assert.equal(await headerCartCount(page), 3)
    await page.getByRole('link', { name: /^Cart \d+ items?$/ }).click()
    await page.getByRole('button', { name: 'Check out' }).click()
    await page.getByText('Thank you! Your order is placed.').waitFor()
    await page.getByRole('heading', { level: 1, name: /^Order #\d+$/ }).waitFor()
    assert.match(await page.getByRole('row', { name: /Canvas Tote Bag/ }).innerText(), /\$24\.00\s+3\s+\$72\.00/)
    assert.equal(await headerCartCount(page), 0)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click()
    await page.getByRole('link', { name: /^Order #\d+$/ }).waitFor()
  })

  await t.test('the sessions page lists this session, marked as the current one', async () => {
    await page.goto('/account/sessions')
    const rows = page.getByRole('table').getByRole('row')
    // The header row and one session: the one before signing out has ended.
    assert.equal(await rows.count(), 2)
    const current = rows.filter({ hasText: 'This session' })
    assert.equal(await current.count(), 1)
    assert.match(await current.innerText(), /Chrom/)
    await current.getByRole('button', { name: 'Sign out' }).waitFor()
  })

  await t.test('nothing was blocked by the CSP and no script failed', () => {
    assert.deepEqual(problems, [])
  })
})
