// The cart's forms need the page's CSRF token (the plugin is tested in depth in test/plugins).
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { addToCart } from '../helpers/accounts.ts'
import { startVisit } from '../helpers/app.ts'
import { allCartRows, product } from '../helpers/shop-data.ts'
import { type Fields, Visitor } from '../helpers/visitor.ts'

test('a cart form posted without a valid _csrf answers 403 and changes nothing', async (t) => {
  const visit = await startVisit(t)
  const mug = await product(visit.db, 'camp-mug')
  await addToCart(visit, mug.id, 2)
  const before = await allCartRows(visit.db)
  const stranger = new Visitor(visit.app)
  const othersToken = await stranger.csrfToken()
  for (const _csrf of [undefined, '', 'forged', othersToken]) {
    const token: Fields = _csrf === undefined ? {} : { _csrf }
    const posts = [
      visit.post('/cart/items', { ...token, productId: String(mug.id), quantity: '5' }),
      visit.post(`/cart/items/${mug.id}`, { ...token, quantity: '9' }),
      visit.post(`/cart/items/${mug.id}/delete`, token),
      visit.post('/checkout', token),
    ]
    for (const res of await Promise.all(posts)) assert.equal(res.statusCode, 403, `_csrf ${JSON.stringify(_csrf)}`)
  }
  assert.deepEqual(await allCartRows(visit.db), before)
})
