// Bad input at volume: a few hundred hostile requests against every form and path parameter, with valid cart
// changes mixed in. Deterministic (a fixed seed) and bounded (a fixed number of cases).
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import fc from 'fast-check'
import { addToCart, createAccounts, signIn } from '../helpers/accounts.ts'
import { startApp } from '../helpers/app.ts'
import { cartRows, userIdOf } from '../helpers/shop-data.ts'
import { httpVisitor } from '../helpers/visitor.ts'
import { LEAK } from './helpers/answers.ts'
import { anyEncoding, type Encoding, encodeBody } from './helpers/body-encodings.ts'
import { type Field, hostileTarget, mangle } from './helpers/hostile-input.ts'
import { headSize, type RawRequest, type RawResponse, sendRaw, shopAnswerProblem } from './helpers/raw-http.ts'

const SEED = 20261122
const RUNS = 300

type Actor = 'ann' | 'guest' | 'nobody'
type Cart = Record<number, number>

const FORM: Encoding = { kind: 'form', contentType: 'application/x-www-form-urlencoded' }

const hostileCase = fc
  .record({
    actor: fc.constantFrom<Actor>('ann', 'guest', 'nobody'),
    // Mostly a valid token, so that the request gets past the CSRF check to the handler.
    csrf: fc.oneof(
      { weight: 5, arbitrary: fc.constant('valid' as const) },
      fc.constantFrom('twice', 'foreign', 'garbage', 'empty', 'missing'),
    ),
    encoding: anyEncoding,
    target: hostileTarget,
    // Some in absolute form (`POST http://host/login`), as a proxy sends them: served like their path.
    isAbsolute: fc.boolean(),
  })
  .chain((one) => mangle(one.target.fields).map((fields) => ({ ...one, fields })))

/** A valid change to a cart, which the model follows. */
const validChange = fc.record({
  actor: fc.constantFrom<'ann' | 'guest'>('ann', 'guest'),
  kind: fc.constantFrom('add', 'add', 'set', 'remove'),
  productId: fc.integer({ min: 1, max: 12 }),
  quantity: fc.integer({ min: 0, max: 5 }),
  // Where an add sends the visitor back to: whatever it is, the redirect stays on the site.
  returnTo: fc.option(
    fc.oneof(fc.string(), fc.constantFrom('//evil.test', '/\\evil.test', 'https://evil.test', '/cart')),
  ),
})

type ValidChange = typeof validChange extends fc.Arbitrary<infer T> ? T : never

const isBodyTooLarge = (request: RawRequest) => (request.body?.length ?? 0) > 1024 * 1024

const isLocalPath = (location: string | undefined) => location !== undefined && /^\/(?![/\\])/.test(location)

test('hostile input at volume never gets a 5xx or a glimpse of internals, and the data is exactly what the valid requests made it', async (t) => {
  const { app, db } = await startApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const [email = ''] = await createAccounts(db, 'fuzz', 1)
  const shopUrl = `http://127.0.0.1:${port}`
  const ann = httpVisitor(shopUrl)
  assert.equal((await signIn(ann, email)).status, 303)
  const guest = httpVisitor(shopUrl)
  assert.equal((await addToCart(guest, 1, 1, { csrfToken: await guest.csrfToken() })).status, 303)
  const tokens = { ann: await ann.csrfToken('/cart'), guest: await guest.csrfToken('/cart') }
  const cookies = { ann: ann.cookies.header(), guest: guest.cookies.header(), nobody: '' }
  const annId = await userIdOf(db, email)
  const guestSessionId = (await db.prisma.session.findFirstOrThrow({ where: { userId: null } })).id
  const model: Record<'ann' | 'guest', Cart> = { ann: {}, guest: { 1: 1 } }
  const productsBefore = await db.prisma.product.findMany({ orderBy: { id: 'asc' } })

  /** Sends the request; its answer, or null when the shop refused it before reading it all (see isBodyTooLarge). */
  function send(actor: Actor, method: 'GET' | 'POST', target: Buffer, fields: Field[] = [], encoding = FORM) {
    const headers: [string, string][] = [
      ['Host', `127.0.0.1:${port}`],
      ['Connection', 'close'],
    ]
    if (cookies[actor] !== '') headers.push(['Cookie', cookies[actor]])
    if (method === 'GET') return exchange({ method, target, headers })
    const body = encodeBody(fields, encoding)
    if (encoding.contentType !== null) headers.push(['Content-Type', encoding.contentType])
    headers.push(['Content-Length', String(body.length)])
    return exchange({ method, target, headers, body })
  }

  async function exchange(request: RawRequest) {
    const response = await sendRaw(port, request)
    const what = `${request.method} ${request.target.toString('latin1').slice(0, 80)}`
    if (response === null) {
      // Refused (413) before it was read, then closed with the rest unread: the reset can overtake the answer.
      // A head over 16 KiB is answered 431 however long it goes on (see sendClientError).
      assert.ok(isBodyTooLarge(request) && headSize(request) <= 16 * 1024, `${what} got no answer`)
      return null
    }
    assert.ok(response.status >= 200, `${what} answered ${response.status}`)
    assert.equal(shopAnswerProblem(response), null, `${what} is no page of the shop with its security headers`)
    assert.doesNotMatch(response.body, LEAK, `${what} shows internals`)
    return response
  }

  const counts = { hostile: 0, valid: 0, statuses: new Map<number, number>() }
  await fc.assert(
    fc.asyncProperty(hostileCase, fc.option(validChange, { freq: 3 }), async (hostile, change) => {
      const { actor, csrf, encoding, target, fields, isAbsolute } = hostile
      const own = actor === 'nobody' ? null : tokens[actor]
      const foreign = actor === 'ann' ? tokens.guest : tokens.ann
      // A valid token only where the request must still change nothing (not to check out or sign out).
      const mayBeValid = own !== null && !target.effectIfValidCsrf
      const token = {
        valid: mayBeValid ? own : foreign,
        twice: mayBeValid ? own : foreign,
        foreign,
        garbage: 'x',
        empty: '',
      }
      const csrfFields: Field[] =
        csrf === 'missing' ? [] : [{ name: '_csrf', value: { text: token[csrf] }, isPoison: false }]
      const all = csrf === 'twice' ? [...csrfFields, ...csrfFields, ...fields] : [...csrfFields, ...fields]
      const path = isAbsolute ? Buffer.concat([Buffer.from(`http://127.0.0.1:${port}`), target.path]) : target.path
      const response = await send(actor, target.method, path, all, encoding)
      const status = response?.status ?? 0
      counts.hostile++
      counts.statuses.set(status, (counts.statuses.get(status) ?? 0) + 1)
      if (change !== null) {
        await applyValidChange(change)
        counts.valid++
      }
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true, includeErrorInReport: true },
  )

  async function applyValidChange(change: ValidChange) {
    const csrfField: Field = { name: '_csrf', value: { text: tokens[change.actor] }, isPoison: false }
    const text = (name: string, value: string): Field => ({ name, value: { text: value }, isPoison: false })
    const cart = model[change.actor]
    let response: RawResponse | null
    if (change.kind === 'add') {
      const quantity = Math.max(1, change.quantity)
      const fields = [csrfField, text('productId', String(change.productId)), text('quantity', String(quantity))]
      if (change.returnTo !== null) fields.push(text('returnTo', change.returnTo))
      response = await send(change.actor, 'POST', Buffer.from('/cart/items'), fields)
      cart[change.productId] = Math.min(99, (cart[change.productId] ?? 0) + quantity)
    } else if (change.kind === 'set') {
      const fields = [csrfField, text('quantity', String(change.quantity))]
      response = await send(change.actor, 'POST', Buffer.from(`/cart/items/${change.productId}`), fields)
      if (change.quantity === 0) delete cart[change.productId]
      else cart[change.productId] = change.quantity
    } else {
      response = await send(change.actor, 'POST', Buffer.from(`/cart/items/${change.productId}/delete`), [csrfField])
      delete cart[change.productId]
    }
    assert.equal(response?.status, 303, `a valid ${change.kind} answered ${response?.status}`)
    assert.ok(isLocalPath(response?.headers.get('location')), `redirected to ${response?.headers.get('location')}`)
  }

  assert.deepEqual(await cartRows(db, { userId: annId }), model.ann, "the account's cart")
  assert.deepEqual(await cartRows(db, { sessionId: guestSessionId }), model.guest, "the guest's cart")
  assert.equal(await db.prisma.user.count(), 1, 'no account was made')
  assert.equal(await db.prisma.order.count(), 0, 'no order was made')
  assert.equal(await db.prisma.session.count(), 2, 'no session was made or ended')
  assert.deepEqual(
    await db.prisma.product.findMany({ orderBy: { id: 'asc' } }),
    productsBefore,
    'the catalog is untouched',
  )
  assert.match((await ann.get('/account')).body, new RegExp(email), 'the account is still signed in')
  const statuses = [...counts.statuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`)
  t.diagnostic(`${counts.hostile} hostile requests (${statuses.join(' ')}) and ${counts.valid} valid changes`)
})
