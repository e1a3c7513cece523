// What a visitor reads off a page or an answer: the header's cart count and account link, the flash message,
// a table's cells, a Set-Cookie's attributes.
import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'

/** The number in the header's cart badge. */
export function headerCount(html: string): number {
  const count = /data-testid="cart-count"[^>]*>(\d+)</.exec(html)?.[1]
  assert.ok(count !== undefined, 'the page has no cart count in its header')
  return Number(count)
}

/** Whether a page's header shows a signed-in visitor (the email) or a guest (the sign-in link). */
export function signedInEmailOf(html: string): string | null {
  return /class="account-link">([^<]*)</.exec(html)?.[1] ?? null
}

/** The flash message at the top of a page, or null. */
export function flashOf(html: string): string | null {
  return /<p class="flash" role="status">([^<]*)<\/p>/.exec(html)?.[1] ?? null
}

/** The text of each body cell of the page's first table, row by row (markup stripped). */
export function tableRows(html: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? ''
  return [...body.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<td\b[^>]*>([\s\S]*?)<\/td>/g)].map((cell) =>
      (cell[1] ?? '').replace(/<[^>]*>/g, '').trim(),
    ),
  )
}

export type SetCookie = {
  name: string
  value: string
  expires?: Date
  maxAge?: number
  path?: string
  httpOnly?: boolean
  secure?: boolean
  sameSite?: string
}

/** The Set-Cookie of `name` in a response, parsed. */
export function setCookieOf(response: LightMyRequestResponse, name: string): SetCookie | undefined {
  return (response.cookies as SetCookie[]).find((cookie) => cookie.name === name)
}
