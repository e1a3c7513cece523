// What a browser would hold for the scenarios: the cookies and CSRF tokens of a guest and of a signed-in user.
import { BENCH_USER } from './database.ts'

export type Credentials = {
  guest: { cookie: string; csrfToken: string }
  signedIn: { cookie: string; csrfToken: string }
  productIds: [string, string]
}

/** The cookie header after `response`: the jar's cookies, with the ones it sets replacing their namesakes. */
function cookiesAfter(response: Response, jar = ''): string {
  const cookies = new Map(jar === '' ? [] : jar.split('; ').map((pair) => [pair.split('=')[0], pair]))
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';')[0] ?? ''
    cookies.set(pair.split('=')[0], pair)
  }
  return [...cookies.values()].join('; ')
}
const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''

async function get(url: string, cookie: string) {
  const response = await fetch(url, { headers: { cookie }, redirect: 'manual' })
  return { response, html: await response.text() }
}

export async function signIn(shopUrl: string): Promise<Credentials> {
  const login = await get(`${shopUrl}/login`, '')
  const guest = { cookie: cookiesAfter(login.response), csrfToken: tokenOf(login.html) }
  const body = new URLSearchParams({ _csrf: guest.csrfToken, ...BENCH_USER })
  const signedIn = await fetch(`${shopUrl}/login`, {
    method: 'POST',
    headers: { cookie: guest.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
    redirect: 'manual',
  })
  await signedIn.text()
  if (signedIn.status !== 303) throw new Error(`signing in answered ${signedIn.status}`)
  const cookie = cookiesAfter(signedIn, guest.cookie)
  // A token bound to the signed-in user, as the catalog page's forms carry it.
  const catalog = await get(`${shopUrl}/`, cookie)
  if (!catalog.html.includes(BENCH_USER.email)) throw new Error('the catalog page does not show the signed-in user')
  const ids = [...catalog.html.matchAll(/name="productId" value="(\d+)"/g)].map((match) => match[1] ?? '')
  if (ids.length < 2) throw new Error('the catalog page lists fewer than two products')
  return {
    guest,
    signedIn: { cookie, csrfToken: tokenOf(catalog.html) },
    productIds: [ids[0] ?? '', ids[1] ?? ''],
  }
}
