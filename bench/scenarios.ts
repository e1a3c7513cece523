// The four scenarios (docs/performance.md), and the targets each must reach (ratios to the bare route of the same run).
import { BENCH_USER, MANY_ACCOUNTS } from './database.ts'
import type { Load, LoadRequest } from './load.ts'
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

/**
 * The request with each body in turn, the turn shared by every connection: with many accounts, the sign-ins in
 * flight are always of different accounts.
 */
function inTurn(bodies: string[], request: LoadRequest): LoadRequest {
  let sent = 0
  return { ...request, setupRequest: (next) => ({ ...next, body: bodies[sent++ % bodies.length] }) }
}

/** S1, which needs no account: it runs first, on a database nobody has written to since it was seeded. */
export function anonymousScenario(shopUrl: string): Scenario {
  return {
    id: 'S1',
    title: 'GET / anonymous',
    load: { url: shopUrl, connections: 32, requests: [{ method: 'GET', path: '/' }] },
    minRatio: 0.35,
    ceiling: 'bare',
    maxP99Ms: 25,
  }
}

/** S2 to S4m, which need the signed-in user's and the guest's cookies and tokens. */
export function signedInScenarios(shopUrl: string, who: Credentials): Scenario[] {
  const addTo = (productId: string) => ({
    method: 'POST',
    path: '/cart/items',
    headers: { cookie: who.signedIn.cookie, 'content-type': form },
    body: new URLSearchParams({ _csrf: who.signedIn.csrfToken, productId, returnTo: '/' }).toString(),
  })
  const signInBody = (email: string) =>
    new URLSearchParams({ _csrf: who.guest.csrfToken, email, password: BENCH_USER.password }).toString()
  const signIns = (title: string, emails: string[]): Omit<Scenario, 'id'> => ({
    title,
    load: {
      url: shopUrl,
      connections: 4,
      requests: [
        inTurn(emails.map(signInBody), {
          method: 'POST',
          path: '/login',
          headers: { cookie: who.guest.cookie, 'content-type': form },
        }),
      ],
    },
    minRatio: 0.9,
    ceiling: 'argon2',
    maxP99Ms: null,
  })
  return [
    {
      id: 'S2',
      title: 'GET /account signed in',
      load: {
        url: shopUrl,
        connections: 32,
        requests: [{ method: 'GET', path: '/account', headers: { cookie: who.signedIn.cookie } }],
      },
      minRatio: 0.2,
      ceiling: 'bare',
      maxP99Ms: 25,
    },
    {
      id: 'S3',
      title: 'POST /cart/items signed in',
      load: { url: shopUrl, connections: 32, requests: who.productIds.map(addTo) },
      minRatio: 0.08,
      ceiling: 'bare',
      maxP99Ms: 25,
    },
    { id: 'S4', ...signIns('POST /login, one account (argon2id)', [BENCH_USER.email]) },
    { id: 'S4m', ...signIns(`POST /login, ${MANY_ACCOUNTS.length} accounts in turn`, MANY_ACCOUNTS) },
  ]
}
