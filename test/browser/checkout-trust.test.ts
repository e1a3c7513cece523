// A sold-out product and a price that moves between the cart and checkout, as a shopper sees them in Chromium.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { openDb } from '../helpers/shop-data.ts'
import { addToCart, newEmail, register } from './support/actions.ts'
import { openShopInBrowser } from './support/fixture.ts'

test('a sold-out product has no add button, and a price changed before checkout is flagged, refused once, then ordered', async (t) => {
  const { openPage, databaseUrl } = await openShopInBrowser(t)
  const db = openDb(t, databaseUrl)
  const page = await openPage()

  await page.goto('/')
  const planter = page.getByRole('listitem').filter({ hasText: 'Terracotta Planter' })
  await planter.getByText('Sold out').waitFor()
  assert.equal(await planter.getByRole('button').count(), 0, 'no add button for a sold-out product')
  await page.getByRole('listitem').filter({ hasText: 'Wool Hiking Socks' }).getByText('Only 4 left').waitFor()

  await register(page, newEmail('reprice'))
  await addToCart(page, 'Enamel Camp Mug')
  await page.goto('/cart')
  await page.getByRole('button', { name: 'Check out' }).waitFor()
  await db.prisma.product.update({ where: { slug: 'camp-mug' }, data: { priceCents: 1750 } })

  await page.getByRole('button', { name: 'Check out' }).click()
  await page.getByText('the total is now $17.50, not $16.00').waitFor()
  await page.getByText('was $16.00').waitFor()
  assert.equal(await db.prisma.order.count(), 0)

  await page.getByRole('button', { name: 'Check out' }).click()
  await page.getByText('Thank you! Your order is placed.').waitFor()
  assert.match(new URL(page.url()).pathname, /^\/orders\/\d+$/)
})
