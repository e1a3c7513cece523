// A visitor with a cookie jar: opens pages, reads their forms, posts them with their hidden fields. It drives
// the app through inject (no port) or a listening shop over real HTTP; each answers in its own shape, and the
// transport reads the little a visitor needs from it (status, body, Set-Cookie).
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { CookieJar } from './cookie-jar.ts'

export type Fields = Record<string, string | string[]>

export type Form = { action: string; fields: Record<string, string> }

export type Outgoing = { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string }

export type Transport<R> = {
  send(request: Outgoing): Promise<R>
  read(response: R): { status: number; body: string; setCookies: string[] }
}

export function appTransport(app: FastifyInstance): Transport<LightMyRequestResponse> {
  return {
    send: ({ method, path, headers, body }) => app.inject({ method, url: path, headers, payload: body }),
    read: (response) => {
      const lines = response.headers['set-cookie']
      return { status: response.statusCode, body: response.body, setCookies: lines === undefined ? [] : [lines].flat() }
    },
  }
}

/** An answer over HTTP, read to its end; `ms` is how long the request took. */
export type Page = { status: number; headers: Headers; body: string; location: string | null; ms: number }

const REQUEST_TIMEOUT_MS = 30_000

export function httpTransport(baseUrl: string): Transport<Page> {
  return {
    async send({ method, path, headers, body }) {
      const started = performance.now()
      const signal = AbortSignal.timeout(REQUEST_TIMEOUT_MS)
      const res = await fetch(new URL(path, baseUrl), { method, headers, body, redirect: 'manual', signal })
      const text = await res.text()
      const ms = Math.round(performance.now() - started)
      return { status: res.status, headers: res.headers, body: text, location: res.headers.get('location'), ms }
    },
    read: (page) => ({ status: page.status, body: page.body, setCookies: page.headers.getSetCookie() }),
  }
}

/** A visitor of the shop listening at `baseUrl`; pass another visitor's jar to be that visitor at another instance. */
export function httpVisitor(baseUrl: string, cookies = new CookieJar()): Visitor<Page> {
  return new Visitor(httpTransport(baseUrl), cookies)
}

export class Visitor<R = LightMyRequestResponse> {
  readonly transport: Transport<R>

  constructor(
    target: FastifyInstance | Transport<R>,
    readonly cookies = new CookieJar(),
  ) {
    // An app is visited through inject, as most tests do: `new Visitor(app)`.
    this.transport = 'inject' in target ? (appTransport(target) as Transport<R>) : target
  }

  get(path: string, headers: Record<string, string> = {}): Promise<R> {
    return this.send({ method: 'GET', path, headers })
  }

  /** Posts a urlencoded form as it is, with no hidden fields added. */
  post(path: string, fields: Fields, headers: Record<string, string> = {}): Promise<R> {
    const body = new URLSearchParams()
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one)
    }
    const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', ...headers }
    return this.send({ method: 'POST', path, headers: formHeaders, body: body.toString() })
  }

  /** Opens `pagePath`, finds the form that posts to `action` (default: the page's path), fills it in and posts it. */
  async submit(pagePath: string, fields: Fields = {}, action?: string): Promise<R> {
    const page = this.transport.read(await this.get(pagePath))
    const target = action ?? new URL(pagePath, 'http://shop.test').pathname
    const form = findForm(page.body, target)
    if (form === undefined) throw new Error(`no form posting to ${target} on ${pagePath} (status ${page.status})`)
    return this.post(form.action, { ...form.fields, ...fields })
  }

  /** A CSRF token, as a page of this visitor's carries it. */
  async csrfToken(pagePath = '/'): Promise<string> {
    const page = this.transport.read(await this.get(pagePath))
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1]
    if (token === undefined) throw new Error(`no CSRF token on ${pagePath} (status ${page.status})`)
    return token
  }

  /** The status of one of this visitor's answers, whichever way it came. */
  statusOf(response: R): number {
    return this.transport.read(response).status
  }

  private async send(request: Outgoing): Promise<R> {
    const cookie = this.cookies.header()
    const headers = cookie ? { cookie, ...request.headers } : request.headers
    const response = await this.transport.send({ ...request, headers })
    this.cookies.keep(this.transport.read(response).setCookies)
    return response
  }
}

const decode = (text: string) =>
  text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')

/** Every POST form of a page, with its action and hidden fields. */
export function findForms(html: string): Form[] {
  const forms: Form[] = []
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)) {
    const [, attributes = '', inner = ''] = match
    if (!/method="post"/i.test(attributes)) continue
    const action = decode(/action="([^"]*)"/.exec(attributes)?.[1] ?? '')
    const fields: Record<string, string> = {}
    for (const input of inner.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(input[0])?.[1]
      if (name !== undefined) fields[name] = decode(/value="([^"]*)"/.exec(input[0])?.[1] ?? '')
    }
    forms.push({ action, fields })
  }
  return forms
}

export function findForm(html: string, action: string): Form | undefined {
  return findForms(html).find((form) => form.action === action || form.action.split('?')[0] === action)
}
