// Each class of bad input that an outside review found answered 5xx or bare, sent on purpose over raw HTTP
// (the fuzz test finds them by chance): control characters and invalid UTF-8 in every text field of every
// form, absolute-form request targets, overlong ids, overlong URLs and heads, malformed request lines.
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import { createAccounts, PASSWORD, signIn } from '../helpers/accounts.ts'
import { startApp } from '../helpers/app.ts'
import { cartRows, userIdOf } from '../helpers/shop-data.ts'
import { httpVisitor, type Page, type Visitor } from '../helpers/visitor.ts'
import { percentEncode } from './helpers/body-encodings.ts'
import { CONTROL_CHARACTERS, NOT_UTF8 } from './helpers/hostile-input.ts'
import { type RawRequest, type RawResponse, sendRaw, shopAnswerProblem } from './helpers/raw-http.ts'

async function startShop(t: Parameters<typeof startApp>[0]) {
  const started = await startApp(t)
  await started.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = started.app.server.address() as AddressInfo
  const [email = ''] = await createAccounts(started.db, 'bad-input', 1)
  return { ...started, port, email, baseUrl: `http://127.0.0.1:${port}` }
}

type Fields = Record<string, Buffer>

/** Sends a request as `browser` (its cookies), a form body when there are fields; the shop must answer it. */
async function send(
  port: number,
  browser: Visitor<Page> | null,
  method: string,
  target: string | Buffer,
  fields?: Fields,
) {
  const headers: [string, string][] = [
    ['Host', `127.0.0.1:${port}`],
    ['Connection', 'close'],
  ]
  if (browser !== null && browser.cookies.size > 0) headers.push(['Cookie', browser.cookies.header()])
  const request: RawRequest = { method, target: Buffer.from(target), headers }
  if (fields !== undefined) {
    request.body = Buffer.from(
      Object.entries(fields)
        .map(([name, value]) => `${name}=${percentEncode(value)}`)
        .join('&'),
    )
    headers.push(['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Length', String(request.body.length)])
  }
  const response = await sendRaw(port, request)
  assert.ok(response !== null, `${method} ${String(target).slice(0, 60)} got no answer`)
  return response
}

function assertShopPage(response: RawResponse, status: number, what: string) {
  assert.equal(response.status, status, what)
  assert.equal(shopAnswerProblem(response), null, what)
}

const text = (value: string) => Buffer.from(value)
// The cart's forms come back as the cart page, with the message.
const CART = 'Quantity must be a whole number from 1 to 99.'

test('a control character or invalid UTF-8 in any text field of any form is a 400 with that form, and changes nothing', async (t) => {
  const { port, db, email, baseUrl } = await startShop(t)
  const ann = httpVisitor(baseUrl)
  await signIn(ann, email)
  const guest = httpVisitor(baseUrl)
  const tokens = { ann: await ann.csrfToken('/account/password'), guest: await guest.csrfToken('/register') }
  const hashBefore = (await db.prisma.user.findUniqueOrThrow({ where: { email } })).passwordHash
  const forms = [
    { action: '/register', as: guest, fields: { email: 'new@x.test', password: 'plum kettle orbit' } },
    { action: '/login', as: guest, fields: { email, password: PASSWORD } },
    { action: '/account/password', as: ann, fields: { current_password: PASSWORD, new_password: 'plum kettle orbit' } },
    { action: '/account/confirm', as: ann, fields: { password: PASSWORD }, hidden: { next: '/account' } },
    { action: '/cart/items', as: guest, fields: { quantity: '12' }, hidden: { productId: '1' }, page: CART },
    { action: '/cart/items/1', as: ann, fields: { quantity: '12' }, page: CART },
  ]
  // Put in the middle of a valid value, raw (a control character) or as bytes (not UTF-8).
  const poisons = [
    ...CONTROL_CHARACTERS.map((control) => text(control)),
    ...NOT_UTF8.map((bytes) => Buffer.from(bytes)),
  ]
  let sent = 0
  for (const form of forms) {
    for (const [name, value] of Object.entries(form.fields)) {
      for (const poison of poisons) {
        const token = form.as === ann ? tokens.ann : tokens.guest
        const fields: Fields = { _csrf: text(token) }
        for (const [other, otherValue] of Object.entries({ ...form.hidden, ...form.fields }))
          fields[other] = text(otherValue)
        fields[name] = Buffer.concat([text(value.slice(0, 1)), poison, text(value.slice(1))])
        const what = `${form.action} with ${JSON.stringify(poison.toString('latin1'))} in ${name}`
        const response = await send(port, form.as, 'POST', form.action, fields)
        assertShopPage(response, 400, what)
        assert.ok(response.body.includes(form.page ?? `action="${form.action}"`), `${what} shows its form`)
        sent++
      }
    }
  }
  t.diagnostic(`${sent} poisoned forms, each refused with 400`)
  assert.equal(await db.prisma.user.count(), 1, 'no account was made')
  assert.equal((await db.prisma.user.findUniqueOrThrow({ where: { email } })).passwordHash, hashBefore)
  assert.deepEqual(await cartRows(db, { userId: await userIdOf(db, email) }), {}, 'no cart line was written')
  assert.equal(await db.prisma.cartItem.count(), 0, 'no guest cart line either')
  assert.equal(await db.prisma.loginFailure.count(), 0, 'no attempt was counted')
})

test('an absolute-form request target is served like its path, sign-in and session included', async (t) => {
  const { port, email, baseUrl } = await startShop(t)
  const visitor = httpVisitor(baseUrl)
  const token = await visitor.csrfToken('/login')
  for (const target of [`${baseUrl}`, `${baseUrl}/`, `${baseUrl}/products/1`, 'http://elsewhere.test/?page=2']) {
    assertShopPage(await send(port, visitor, 'GET', target), 200, target)
  }
  const fields = { _csrf: text(token), email: text(email), password: text(PASSWORD), next: text('/orders') }
  const signedIn = await send(port, visitor, 'POST', `${baseUrl}/login`, fields)
  assertShopPage(signedIn, 303, 'the absolute-form sign-in')
  assert.equal(signedIn.headers.get('location'), '/orders')
  const sid = signedIn.setCookies.map((line) => /^sid=([^;]+)/.exec(line)?.[1]).find((value) => value !== undefined)
  assert.ok(sid !== undefined, 'a session cookie is set')
  visitor.cookies.set('sid', sid)
  const account = await visitor.get('/account')
  assert.equal(account.status, 200)
  assert.match(account.body, new RegExp(email))
})

test('an overlong id is an unknown id (404), a head over 16 KiB is a 431 page, and neither is bare', async (t) => {
  const { port, baseUrl } = await startShop(t)
  const guest = httpVisitor(baseUrl)
  const token = text(await guest.csrfToken('/'))
  for (const length of [101, 1000, 12_000]) {
    const id = '9'.repeat(length)
    assertShopPage(await send(port, guest, 'GET', `/products/${id}`), 404, `a product id of ${length} digits`)
    const quantity = { _csrf: token, quantity: text('1') }
    assertShopPage(await send(port, guest, 'POST', `/cart/items/${id}`, quantity), 404, `setting ${length} digits`)
    const remove = { _csrf: token }
    assertShopPage(
      await send(port, guest, 'POST', `/cart/items/${id}/delete`, remove),
      404,
      `removing ${length} digits`,
    )
  }
  assertShopPage(await send(port, guest, 'GET', `/products/${'9'.repeat(20_000)}`), 431, 'a 20 KB id')
  assertShopPage(await send(port, guest, 'GET', `/?q=${'a'.repeat(100_000)}`), 431, 'a 100 KB query')
  assertShopPage(await send(port, guest, 'GET', '/products/%FF'), 400, 'an id that is no UTF-8')
  assertShopPage(await send(port, guest, 'GET', '/products/%E0%A4%A'), 400, 'a broken percent-encoding')
  assertShopPage(await send(port, guest, 'GET', '/a b'), 400, 'a request line the HTTP parser refuses')
})
