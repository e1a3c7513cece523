// Hostile requests for the fuzz test: every form and path parameter of the shop, filled with random text,
// huge values and invalid UTF-8, with fields missing, duplicated or added (body-encodings.ts sends them). Each request carries a "poison": a value that makes it invalid
// by the shop's own rules (no such product, a quantity outside 0 to 99, a password register refuses, ...) whatever the
// shop makes of the rest, so none of them may change anything.
import fc from 'fast-check'
import { percentEncode } from './body-encodings.ts'

/** A field's value: text (any Unicode, lone surrogates included) or raw bytes (invalid UTF-8 included). */
export type Value = { text: string } | { bytes: Uint8Array }

export type Field = { name: string; value: Value | { json: fc.JsonValue }; isPoison: boolean }

export type Target = { method: 'GET' | 'POST'; path: Buffer; fields: Field[]; effectIfValidCsrf: boolean }

const tricky = fc.constantFrom(
  ...['', ' ', '0', '00', '-1', '1.5', '1e3', '0x10', '+5', ' 7 ', '١', '１', 'NaN', 'Infinity', 'null', 'true'],
  ...['[]', '{}', '__proto__', 'constructor', '%00', '%', '%zz', '%FF', '\u0000', '\r\n', '\uFEFF', '\uD800'],
  ...['<script>alert(1)</script>', "' OR 1=1 --", '"; DROP TABLE "User"; --', '../../etc/passwd', '//evil.test'],
  ...['/\\evil.test', 'https://evil.test/', 'javascript:alert(1)', '99999999999999999999', '2147483648', '-0'],
  ...['\u0001', '\u001f', '\u007f', '\t', 'ann\u0000@x.test', 'ann@x.test\u001b', '5\u0000'],
)
/** U+0000-U+001F and U+007F: what PostgreSQL refuses (NUL) or no text field should hold. */
export const CONTROL_CHARACTERS = [...Array.from({ length: 32 }, (_, code) => String.fromCharCode(code)), '\u007f']
/** Text with a control character somewhere in it. */
const withControl = fc
  .tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...CONTROL_CHARACTERS), fc.string({ maxLength: 12 }))
  .map(([before, control, after]) => before + control + after)
/** Byte sequences that are not UTF-8: a stray byte, an overlong slash, a surrogate, a truncated or too-high code point. */
export const NOT_UTF8 = [[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe0, 0xa4], [0xf4, 0x90, 0x80, 0x80], [0x80]]
const notUtf8 = fc
  .tuple(fc.string({ maxLength: 8 }), fc.constantFrom(...NOT_UTF8), fc.string({ maxLength: 8 }))
  .map(([before, bad, after]) => Buffer.concat([Buffer.from(before), Buffer.from(bad), Buffer.from(after)]))
const text = fc.oneof(
  tricky,
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  withControl,
)
// Up to about 2.4 MB once percent-encoded: some under the 1 MiB body limit, some over it.
const huge = fc.integer({ min: 1000, max: 400_000 }).map((length) => 'é'.repeat(length))

// Digits past the router's old parameter limit (100), up to past the 16 KiB head a URL must fit in.
const overlongId = fc.integer({ min: 101, max: 20_000 }).map((length) => '9'.repeat(length))

export const anyValue: fc.Arbitrary<Value> = fc.oneof(
  { weight: 6, arbitrary: text.map((value) => ({ text: value })) },
  { weight: 2, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 16 }).map((bytes) => ({ bytes })) },
  { weight: 1, arbitrary: notUtf8.map((bytes) => ({ bytes })) },
  { weight: 1, arbitrary: huge.map((value) => ({ text: value })) },
  { weight: 1, arbitrary: overlongId.map((value) => ({ text: value })) },
)

export function textOf(value: Value): string {
  return 'text' in value ? value.text : Buffer.from(value.bytes).toString('utf8')
}

/** Whether a lenient reader could take this for a whole number from `min` to `max` ('5', ' 05', '5abc', '0x5'). */
function couldBeNumber(value: Value, min: number, max: number): boolean {
  const normalized = textOf(value).normalize('NFKC').trim()
  return [Number(normalized), Number.parseInt(normalized, 10)].some((n) => Number.isInteger(n) && n >= min && n <= max)
}

/** Surely no product of the 12: not even a lenient reader would find one in it. */
const notAProduct = anyValue.filter((value) => !couldBeNumber(value, 1, 12))
/** Surely no quantity from 0 to 99, and not empty (an empty quantity means 1). */
const notAQuantity = anyValue.filter((value) => textOf(value).trim() !== '' && !couldBeNumber(value, 0, 99))
/** Shorter than 8 characters or longer than 256: no password the register rules accept. */
const notAPassword = fc.oneof(
  fc.string({ maxLength: 7 }),
  fc.integer({ min: 257, max: 2000 }).map((length) => 'p'.repeat(length)),
)

const field = (name: string, value: fc.Arbitrary<Value>, isPoison = false) =>
  value.map((one): Field => ({ name, value: one, isPoison }))

/** Path segments as a browser would escape them, or as raw bytes (kept from leaving the segment). */
const segment = (value: Value) =>
  fc.constantFrom('escaped', 'raw').map((style) => {
    const bytes = 'text' in value ? Buffer.from(value.text, 'utf8') : Buffer.from(value.bytes)
    if (style === 'escaped') return Buffer.from(percentEncode(bytes))
    return Buffer.from(bytes.map((byte) => ('/?#%\\.'.includes(String.fromCharCode(byte)) ? 0xff : byte)))
  })

const path = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((part) => Buffer.from(part)))

const post = (pathBytes: fc.Arbitrary<Buffer>, fields: fc.Arbitrary<Field>[], effectIfValidCsrf = false) =>
  fc
    .record({ path: pathBytes, fields: fc.tuple(...fields) })
    .map(({ path: bytes, fields: list }): Target => ({ method: 'POST', path: bytes, fields: list, effectIfValidCsrf }))

const get = (pathBytes: fc.Arbitrary<Buffer>) =>
  pathBytes.map((bytes): Target => ({ method: 'GET', path: bytes, fields: [], effectIfValidCsrf: false }))

const fixed = (text: string) => fc.constant(Buffer.from(text))

/** Every form and path parameter of the shop, each request poisoned so that it must change nothing. */
export const hostileTarget: fc.Arbitrary<Target> = fc.oneof(
  post(fixed('/register'), [
    field('email', anyValue),
    notAPassword.map((p): Field => ({ name: 'password', value: { text: p }, isPoison: true })),
  ]),
  post(fixed('/login'), [
    field('email', anyValue),
    field('password', anyValue),
    field('remember', anyValue),
    field('next', anyValue),
  ]),
  fc.oneof(
    post(fixed('/cart/items'), [
      field('productId', notAProduct, true),
      field('quantity', anyValue),
      field('returnTo', anyValue),
    ]),
    post(fixed('/cart/items'), [field('productId', anyValue), field('quantity', notAQuantity, true)]),
  ),
  fc.oneof(
    post(
      notAProduct.chain(segment).map((id) => path('/cart/items/', id)),
      [field('quantity', anyValue)],
    ),
    post(
      fc.integer({ min: 1, max: 12 }).map((id) => path(`/cart/items/${id}`)),
      [field('quantity', notAQuantity, true)],
    ),
  ),
  post(
    notAProduct.chain(segment).map((id) => path('/cart/items/', id, '/delete')),
    [],
  ),
  post(fixed('/checkout'), [field('note', anyValue)], true),
  post(fixed('/logout'), [], true),
  post(fixed('/account/password'), [field('current_password', anyValue, true), field('new_password', anyValue)]),
  post(fixed('/account/confirm'), [field('password', anyValue, true), field('next', anyValue)]),
  post(
    anyValue.chain(segment).map((id) => path('/account/sessions/', id, '/delete')),
    [],
  ),
  post(fixed('/account/sessions/others/delete'), [field('extra', anyValue)]),
  get(anyValue.chain(segment).map((id) => path('/products/', id))),
  get(anyValue.chain(segment).map((id) => path('/orders/', id))),
  get(anyValue.chain(segment).map((next) => path('/login?next=', next))),
  get(anyValue.chain(segment).map((junk) => path('/', junk))),
)

const oddNames = fc.constantFrom('__proto__', 'constructor', 'toString', '_csrf[]', 'productId[]', '', 'a'.repeat(300))

/** The fields as the shop's forms never send them: some left out, some twice, some as JSON values, some added. */
export function mangle(fields: Field[]): fc.Arbitrary<Field[]> {
  const each = <T>(arbitrary: fc.Arbitrary<T>) =>
    fc.array(arbitrary, { minLength: fields.length, maxLength: fields.length })
  return fc
    .record({
      dropped: each(fc.boolean()),
      twice: each(fc.boolean()),
      json: each(fc.option(fc.jsonValue({ maxDepth: 2 }), { freq: 4 })),
      extra: fc.array(fc.tuple(oddNames, anyValue), { maxLength: 2 }),
    })
    .map(({ dropped, twice, json, extra }) => {
      const kept = fields.flatMap((one, i): Field[] => {
        // The poison stays as it is: it is what makes the request invalid.
        if (one.isPoison) return twice[i] ? [one, one] : [one]
        if (dropped[i]) return []
        const asJson = json[i]
        const value = asJson === null || asJson === undefined ? one : { ...one, value: { json: asJson } }
        return twice[i] ? [value, one] : [value]
      })
      return [...kept, ...extra.map(([name, value]) => ({ name, value, isPoison: false }))]
    })
}
