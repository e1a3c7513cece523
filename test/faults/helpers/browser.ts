// A visitor over real HTTP: a cookie jar, pages read as text, forms found and posted with their hidden
// fields. `at(url)` gives the same visitor at another instance, with the same cookies.
import { setTimeout as sleep } from 'node:timers/promises'
import { type Fields, findForm } from '../../helpers/visitor.ts'

export type Page = { status: number; headers: Headers; body: string; location: string | null; ms: number }

const REQUEST_TIMEOUT_MS = 30_000

export class Browser {
  constructor(
    readonly baseUrl: string,
    readonly cookies = new Map<string, string>(),
  ) {}

  /** The same visitor (same cookies) talking to another instance. */
  at(baseUrl: string): Browser {
    return new Browser(baseUrl, this.cookies)
  }

  get(path: string): Promise<Page> {
    return this.request(path, { method: 'GET' })
  }

  /** Posts a urlencoded form as it is, with no hidden fields added. */
  post(path: string, fields: Fields): Promise<Page> {
    const body = new URLSearchParams()
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one)
    }
    return this.request(path, {
      method: 'POST',
      body: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
  }

  /** Opens `pageUrl`, finds the form posting to `action` (default: the page's path), fills it in and posts it. */
  async submit(pageUrl: string, fields: Fields = {}, action?: string): Promise<Page> {
    const page = await this.get(pageUrl)
    const target = action ?? new URL(pageUrl, this.baseUrl).pathname
    const form = findForm(page.body, target)
    if (form === undefined) throw new Error(`no form posting to ${target} on ${pageUrl} (status ${page.status})`)
    return this.post(form.action, { ...form.fields, ...fields })
  }

  /** A CSRF token, as a page of this visitor's carries it. */
  async csrfToken(pageUrl = '/'): Promise<string> {
    const page = await this.get(pageUrl)
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1]
    if (token === undefined) throw new Error(`no CSRF token on ${pageUrl} (status ${page.status})`)
    return token
  }

  /** The Cookie header this visitor sends. */
  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async request(path: string, init: RequestInit): Promise<Page> {
    const cookie = this.cookieHeader()
    const headers = new Headers(init.headers)
    if (cookie) headers.set('cookie', cookie)
    const started = performance.now()
    const res = await fetch(new URL(path, this.baseUrl), {
      ...init,
      headers,
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    })
    const body = await res.text()
    this.keepCookies(res.headers.getSetCookie())
    return {
      status: res.status,
      headers: res.headers,
      body,
      location: res.headers.get('location'),
      ms: elapsed(started),
    }
  }

  private keepCookies(setCookies: string[]) {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim())
      const name = pair.slice(0, pair.indexOf('='))
      const value = pair.slice(pair.indexOf('=') + 1)
      const isCleared =
        value === '' ||
        attributes.some((attribute) => /^max-age=0$/i.test(attribute)) ||
        attributes.some((attribute) => /^expires=/i.test(attribute) && Date.parse(attribute.slice(8)) <= Date.now())
      if (isCleared) this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
  }
}

export function elapsed(startedAt: number): number {
  return Math.round(performance.now() - startedAt)
}

/** Repeats the request until `isDone` says so: how long that took, and every answer on the way. */
export async function repeatUntil(
  request: () => Promise<Page>,
  isDone: (page: Page) => boolean,
  boundMs: number,
): Promise<{ ms: number; pages: Page[] }> {
  const started = performance.now()
  const pages: Page[] = []
  while (elapsed(started) < boundMs) {
    const page = await request()
    pages.push(page)
    if (isDone(page)) return { ms: elapsed(started), pages }
    await sleep(100)
  }
  throw new Error(`not done within ${boundMs} ms; answers: ${pages.map((page) => page.status).join(' ')}`)
}

/** The number in the header's cart badge. */
export function cartCount(html: string): number {
  const count = /data-testid="cart-count"[^>]*>(\d+)</.exec(html)?.[1]
  if (count === undefined) throw new Error('the page has no cart count in its header')
  return Number(count)
}

/** What must never reach a browser: a stack trace, SQL, or a library's own error text. */
export const LEAK =
  /\bat [\w.<>]+ \(|\.ts:\d+|node_modules|\bSELECT\b|\bINSERT\b|\bUPDATE "|Prisma|P\d{4}\b|FST_ERR|ECONN|pg_/
