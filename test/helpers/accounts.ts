// Accounts and sessions for tests: users made straight in the database, signing in through the real form,
// and reading what a visitor's cookie and the Session table say.
import { after, type TestContext } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import { hashPassword } from '../../src/auth/passwords.ts'
import type { Database } from '../../src/db/client.ts'
import { createTestDatabase } from './database.ts'
import { findForm, type Visitor } from './visitor.ts'

export const PASSWORD = 'correct horse battery staple'

/**
 * One database for a whole test file, dropped when the file is done. Cloning one costs far more than a test
 * of sign-in does, so the tests of a file share it and keep apart by using their own emails.
 */
export function createFileDatabase(): Promise<string> {
  return createTestDatabase({ after: after as TestContext['after'] })
}

let emailCount = 0

/** An address no other test of the file uses, so tests can share the file's database. */
export function uniqueEmail(name = 'ann'): string {
  emailCount += 1
  return `${name}${emailCount}@x.test`
}

// Hashing costs ~40 ms; one real argon2id hash per password is shared by every user a test file creates.
const hashes = new Map<string, Promise<string>>()

/** An account created in the database, for tests where the register form is not what is tested. */
export async function createAccount(db: Database, email: string, password = PASSWORD) {
  let hash = hashes.get(password)
  if (hash === undefined) {
    hash = hashPassword(password)
    hashes.set(password, hash)
  }
  return db.prisma.user.create({ data: { email, passwordHash: await hash } })
}

export type SignInOptions = { remember?: boolean; pageUrl?: string; headers?: Record<string, string> }

/** Opens the sign-in page (default `/login`) and posts its form, as a browser sending `headers` would. */
export async function signIn(
  visitor: Visitor,
  email: string,
  password = PASSWORD,
  options: SignInOptions = {},
): Promise<LightMyRequestResponse> {
  const page = await visitor.get(options.pageUrl ?? '/login', options.headers)
  const form = findForm(page.body, '/login')
  if (form === undefined) throw new Error(`no sign-in form (status ${page.statusCode})`)
  const fields = { ...form.fields, email, password, ...(options.remember ? { remember: '1' } : {}) }
  return visitor.post('/login', fields, options.headers)
}

/** Adds the catalog's first product to the visitor's cart with the page's own form. */
export function addToCart(visitor: Visitor): Promise<LightMyRequestResponse> {
  return visitor.submit('/', {}, '/cart/items')
}

/** The session id inside the visitor's signed `sid` cookie, if it has one. */
export function sessionIdOf(visitor: Visitor): string | undefined {
  const cookie = visitor.cookies.get('sid')
  return cookie === undefined ? undefined : cookie.slice(0, cookie.lastIndexOf('.'))
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

/** Whether a page's header shows a signed-in visitor (the email) or a guest (the sign-in link). */
export function signedInEmailOf(html: string): string | null {
  return /class="account-link">([^<]*)</.exec(html)?.[1] ?? null
}
