// The browser's side of the session page: which of the shop's cookies came with the request, and how the
// shop sends each one. A request carries only names and values, so the flags are the ones the server sets.
import { formatDateTime } from '../shared/dates.ts'

/** One line of the page: what it is, its value here, and why it is there. */
export type Fact = { term: string; value: string; note?: string; why: string }

export type CookieView = { name: string; purpose: string; hasCome: boolean; facts: Fact[] }

/** What the server knows of the cookies of this request and its session. */
export type CookieInput = {
  cookieNames: string[]
  /** The first characters of the live session's id, or null when the request has no live session. */
  idPrefix: string | null
  /** The `Expires` the sid cookie was sent with; null: none, it ends with the browser. */
  sidExpires: Date | null
  isSecureCookie: boolean
}

/** At most this much of the id is shown: enough to tell sessions apart, far too little to use one. */
export const ID_PREFIX_LENGTH = 8

const came = (hasCome: boolean) => (hasCome ? 'Yes' : 'No')

function secureFact(isSecureCookie: boolean): Fact {
  return {
    term: 'Secure',
    value: isSecureCookie ? 'Yes' : 'No: only in production, where the shop is served over HTTPS',
    why: 'The browser sends it over HTTPS only, so nobody on the network can read it on the way.',
  }
}

function sidValue(input: CookieInput, hasCome: boolean): Fact {
  const why = 'The id is a key to the session: the whole of it is shown nowhere, this page included.'
  if (input.idPrefix !== null) {
    const note = `The first ${ID_PREFIX_LENGTH} characters of a random id, then the server's signature of it.`
    return { term: 'Value', value: `${input.idPrefix}…`, note, why }
  }
  if (!hasCome) return { term: 'Value', value: 'None: you have no session', why }
  return {
    term: 'Value',
    value: 'An id with no live session',
    note: 'It ended, was signed out, or was never the server’s: it counts as no session and is never taken up again.',
    why,
  }
}

function sidExpires(expires: Date | null): Fact {
  if (expires === null) {
    return {
      term: 'Expires',
      value: 'None: it ends when the browser closes',
      why: 'Without “Remember me” the browser forgets the session when it closes.',
    }
  }
  return {
    term: 'Expires',
    value: formatDateTime(expires),
    why: 'You asked to be remembered: the browser keeps the cookie until the session’s own end.',
  }
}

// In production both are `__Host-` cookies (see plugins/session.ts and plugins/csrf.ts).
const nameOf = (input: CookieInput, name: string) => (input.isSecureCookie ? `__Host-${name}` : name)

function sidCookie(input: CookieInput): CookieView {
  const name = nameOf(input, 'sid')
  const hasCome = input.cookieNames.includes(name)
  const facts: Fact[] = [
    {
      term: 'Sent by your browser',
      value: came(hasCome),
      why: 'It is how the server finds your session on each request.',
    },
    sidValue(input, hasCome),
    {
      term: 'HttpOnly',
      value: 'Yes',
      why: 'Page scripts cannot read it, so an injected script cannot steal the session.',
    },
    {
      term: 'SameSite=Lax',
      value: 'Yes',
      why: 'Another site’s form posts arrive without it, so another site cannot act as you.',
    },
    { term: 'Path=/', value: 'Yes', why: 'Every page of the shop gets it, so every page knows your session.' },
    secureFact(input.isSecureCookie),
    sidExpires(input.sidExpires),
  ]
  return { name, purpose: 'the session cookie', hasCome, facts }
}

function csrfCookie(input: CookieInput): CookieView {
  const name = nameOf(input, 'csrf')
  const hasCome = input.cookieNames.includes(name)
  const facts: Fact[] = [
    {
      term: 'Sent by your browser',
      value: came(hasCome),
      why: 'Each form’s hidden token is checked against it; a POST without a matching token is refused (403).',
    },
    {
      term: 'Value',
      value: 'Not shown',
      note: 'A signed secret that the tokens in your forms are made from.',
      why: 'With it, anyone could make tokens for your forms: it is a secret, and this page keeps it.',
    },
    {
      term: 'HttpOnly, SameSite=Lax, Path=/',
      value: 'Yes',
      why: 'As for sid: no script reads the secret, and another site’s posts do not carry it.',
    },
    secureFact(input.isSecureCookie),
    {
      term: 'Expires',
      value: 'None: it ends when the browser closes',
      why: 'A new secret is made whenever a page with a form needs one.',
    },
  ]
  return { name, purpose: 'the CSRF secret', hasCome, facts }
}

/** The shop's two cookies, as this browser holds them and as the server sends them. */
export function describeCookies(input: CookieInput): CookieView[] {
  return [sidCookie(input), csrfCookie(input)]
}
