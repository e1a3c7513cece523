// A browser's cookie jar, name → value: what Set-Cookie lines leave in it, and the Cookie header it sends.
// Domain and path are ignored: every visitor here talks to one shop, whose cookies all have Path=/.

export class CookieJar extends Map<string, string> {
  /** Stores each cookie the lines set, and drops each they clear (empty value, Max-Age ≤ 0, Expires passed). */
  keep(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim())
      const name = pair.slice(0, pair.indexOf('='))
      const value = decodeValue(pair.slice(pair.indexOf('=') + 1))
      const isCleared =
        value === '' ||
        attributes.some((attribute) => /^max-age=/i.test(attribute) && Number(attribute.slice(8)) <= 0) ||
        attributes.some((attribute) => /^expires=/i.test(attribute) && Date.parse(attribute.slice(8)) <= Date.now())
      if (isCleared) this.delete(name)
      else this.set(name, value)
    }
  }

  /** The Cookie header a browser would send with this jar ('' when it is empty). */
  header(): string {
    return [...this].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}

// Values are kept decoded, as Fastify's cookie parser and light-my-request's `response.cookies` show them.
function decodeValue(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}
