// The four scenarios (docs/performance.md), and the targets each must reach (ratios to the bare route of the same run).
import { BENCH_USER } from './database.ts'
import type { Load } from './load.ts'
import type { Credentials } from './visitor.ts'

export type Scenario = {
  id: string
  title: string
  load: Load
  /** The lowest acceptable rate as a share of the bare route's (S4: of raw argon2 verifications). */
  minRatio: number
  ceiling: 'bare' | 'argon2'
  maxP99Ms: number | null
}

const form = 'application/x-www-form-urlencoded'

/** S1, which needs no account: it runs first, on a database nobody has written to since it was seeded. */
export function anonymousScenario(shopUrl: string): Scenario {
  return {
    id: 'S1',
    title: 'GET / anonymous',
    load: { url: shopUrl, connections: 32, requests: [{ method: 'GET', path: '/' }] },
    minRatio: 0.25,
    ceiling: 'bare',
    maxP99Ms: 25,
  }
}

/** S2 to S4, which need the signed-in user's and the guest's cookies and tokens. */
export function signedInScenarios(shopUrl: string, who: Credentials): Scenario[] {
  const addTo = (productId: string) => ({
    method: 'POST',
    path: '/cart/items',
    headers: { cookie: who.signedIn.cookie, 'content-type': form },
    body: new URLSearchParams({ _csrf: who.signedIn.csrfToken, productId, returnTo: '/' }).toString(),
  })
  const signIn = new URLSearchParams({ _csrf: who.guest.csrfToken, ...BENCH_USER })
  return [
    {
      id: 'S2',
      title: 'GET /account signed in',
      load: {
        url: shopUrl,
        connections: 32,
        requests: [{ method: 'GET', path: '/account', headers: { cookie: who.signedIn.cookie } }],
      },
      minRatio: 0.1,
      ceiling: 'bare',
      maxP99Ms: 25,
    },
    {
      id: 'S3',
      title: 'POST /cart/items signed in',
      load: { url: shopUrl, connections: 32, requests: who.productIds.map(addTo) },
      minRatio: 0.06,
      ceiling: 'bare',
      maxP99Ms: 25,
    },
    {
      id: 'S4',
      title: 'POST /login (argon2id)',
      load: {
        url: shopUrl,
        connections: 4,
        requests: [
          {
            method: 'POST',
            path: '/login',
            headers: { cookie: who.guest.cookie, 'content-type': form },
            body: signIn.toString(),
          },
        ],
      },
      minRatio: 0.9,
      ceiling: 'argon2',
      maxP99Ms: null,
    },
  ]
}
