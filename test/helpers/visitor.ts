// A visitor with a cookie jar, driving the app through inject: opens pages, reads their forms, posts them.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

export type Fields = Record<string, string | string[]>

export type Form = { action: string; fields: Record<string, string> }

export class Visitor {
  readonly cookies = new Map<string, string>()

  constructor(readonly app: FastifyInstance) {}

  async get(url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keepCookies(await this.app.inject({ method: 'GET', url, headers: this.headers(headers) }))
  }

  /** Posts a urlencoded form as it is, with no hidden fields added. */
  async post(url: string, fields: Fields, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams()
    for (const [name, value] of Object.entries(fields)) {
      for (const one of Array.isArray(value) ? value : [value]) body.append(name, one)
    }
    return this.keepCookies(
      await this.app.inject({
        method: 'POST',
        url,
        payload: body.toString(),
        headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded', ...headers }),
      }),
    )
  }

  /** Opens `pageUrl`, finds the form that posts to `action` (default: the page's path), fills it in and posts it. */
  async submit(pageUrl: string, fields: Fields = {}, action?: string): Promise<LightMyRequestResponse> {
    const page = await this.get(pageUrl)
    const target = action ?? new URL(pageUrl, 'http://shop.test').pathname
    const form = findForm(page.body, target)
    if (form === undefined) throw new Error(`no form posting to ${target} on ${pageUrl} (status ${page.statusCode})`)
    return this.post(form.action, { ...form.fields, ...fields })
  }

  /** A CSRF token, as a page of this visitor's carries it. */
  async csrfToken(pageUrl = '/'): Promise<string> {
    const page = await this.get(pageUrl)
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1]
    if (token === undefined) throw new Error(`no CSRF token on ${pageUrl}`)
    return token
  }

  private headers(extra: Record<string, string>): Record<string, string> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
    return cookie ? { cookie, ...extra } : extra
  }

  private keepCookies(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as { name: string; value: string; expires?: Date; maxAge?: number }[]) {
      const isCleared = cookie.value === '' || cookie.maxAge === 0 || (cookie.expires && cookie.expires <= new Date())
      if (isCleared) this.cookies.delete(cookie.name)
      else this.cookies.set(cookie.name, cookie.value)
    }
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
