// What a browser would hold for the scenarios: the cookies and CSRF tokens of a guest and of a signed-in user.
import { httpVisitor } from '../test/helpers/visitor.ts'
import { BENCH_USER } from './database.ts'

export type Credentials = {
  guest: { cookie: string; csrfToken: string }
  signedIn: { cookie: string; csrfToken: string }
  productIds: [string, string]
}

const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''

export async function signIn(shopUrl: string): Promise<Credentials> {
  const visitor = httpVisitor(shopUrl)
  const login = await visitor.get('/login')
  const guest = { cookie: visitor.cookies.header(), csrfToken: tokenOf(login.body) }
  const signedIn = await visitor.post('/login', { _csrf: guest.csrfToken, ...BENCH_USER })
  if (signedIn.status !== 303) throw new Error(`signing in answered ${signedIn.status}`)
  // A token bound to the signed-in user, as the catalog page's forms carry it.
  const catalog = await visitor.get('/')
  if (!catalog.body.includes(BENCH_USER.email)) throw new Error('the catalog page does not show the signed-in user')
  const ids = [...catalog.body.matchAll(/name="productId" value="(\d+)"/g)].map((match) => match[1] ?? '')
  if (ids.length < 2) throw new Error('the catalog page lists fewer than two products')
  return {
    guest,
    signedIn: { cookie: visitor.cookies.header(), csrfToken: tokenOf(catalog.body) },
    productIds: [ids[0] ?? '', ids[1] ?? ''],
  }
}
