// Accounts for tests and the errands a visitor runs with them: users made straight in the database (one real
// argon2 hash per password), signing in through the real form, adding to the cart through the real form.

import assert from 'node:assert/strict'
import { after, type TestContext } from 'node:test'
import { describeBrowser } from '../../src/account/sessions.ts'
import { hashPassword } from '../../src/auth/passwords.ts'
import { rememberBrowser } from '../../src/auth/sign-in-record.ts'
import type { Database } from '../../src/db/client.ts'
import { hashSessionId } from '../../src/sessions/ids.ts'
import { startVisit } from './app.ts'
import { createTestDatabase } from './database.ts'
import { type Fields, findForm, type Visitor } from './visitor.ts'

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

function hashOnce(password: string): Promise<string> {
  let hash = hashes.get(password)
  if (hash === undefined) {
    hash = hashPassword(password)
    hashes.set(password, hash)
  }
  return hash
}

// A fixed moment, not the app's clock: only whether the address is verified matters to the tests.
const VERIFIED_AT = new Date('2026-01-01T00:00:00Z')

/** The browser name of a test's `inject` requests, which send no real User-Agent. */
const TEST_BROWSER = describeBrowser('lightMyRequest')

/**
 * An account created in the database, for tests where the register form is not what is tested. Its email is
 * verified, as after following the registration's link, unless `isVerified: false`; and it has used the
 * tests' own browser, as the browser that registers has, so signing in from it mails no new-browser notice
 * (test/auth/new-browser.test.ts signs in with real browsers' names).
 */
export async function createAccount(db: Database, email: string, password = PASSWORD, { isVerified = true } = {}) {
  const emailVerifiedAt = isVerified ? VERIFIED_AT : null
  const passwordHash = await hashOnce(password)
  return db.prisma.$transaction(async (tx) => {
    const user = await tx.user.create({ data: { email, passwordHash, emailVerifiedAt } })
    await tx.$executeRaw(rememberBrowser(user.id, TEST_BROWSER, VERIFIED_AT))
    return user
  })
}

/** `count` accounts `prefix-0@faults.test`, ... in one insert, verified; returns their emails. */
export async function createAccounts(db: Database, prefix: string, count: number): Promise<string[]> {
  const passwordHash = await hashOnce(PASSWORD)
  const emails = Array.from({ length: count }, (_, i) => `${prefix}-${i}@faults.test`)
  await db.prisma.user.createMany({
    data: emails.map((email) => ({ email, passwordHash, emailVerifiedAt: VERIFIED_AT })),
  })
  return emails
}

export type SignInOptions = { remember?: boolean; pageUrl?: string; headers?: Record<string, string> }

/** Opens the sign-in page (default `/login`) and posts its form, as a browser sending `headers` would. */
export async function signIn<R>(
  visitor: Visitor<R>,
  email: string,
  password = PASSWORD,
  options: SignInOptions = {},
): Promise<R> {
  const page = visitor.transport.read(await visitor.get(options.pageUrl ?? '/login', options.headers))
  const form = findForm(page.body, '/login')
  if (form === undefined) throw new Error(`no sign-in form (status ${page.status})`)
  const fields = { ...form.fields, email, password, ...(options.remember ? { remember: '1' } : {}) }
  return visitor.post('/login', fields, options.headers)
}

/** Creates the account and signs the visitor in through /login. */
export async function signUpAndIn<R>(visitor: Visitor<R>, db: Database, email: string) {
  const user = await createAccount(db, email)
  const status = visitor.statusOf(await signIn(visitor, email))
  assert.equal(status, 303, `signing in as ${email} failed with ${status}`)
  return user
}

export type AddToCartOptions = { pageUrl?: string; fields?: Fields; csrfToken?: string }

/**
 * Posts the add-to-cart form of `pageUrl` (default the catalog) for this product, as a browser would; without a
 * `quantity` the form's own field is left out. Given a `csrfToken` the visitor already holds (a token is valid for
 * its whole session), it posts straight away without opening a page.
 */
export function addToCart<R>(
  visitor: Visitor<R>,
  productId: number,
  quantity?: number | string,
  options: AddToCartOptions = {},
): Promise<R> {
  const fields: Fields = { productId: String(productId) }
  if (quantity !== undefined) fields.quantity = String(quantity)
  Object.assign(fields, options.fields)
  if (options.csrfToken !== undefined) return visitor.post('/cart/items', { _csrf: options.csrfToken, ...fields })
  return visitor.submit(options.pageUrl ?? '/', fields, '/cart/items')
}

/** The session id inside the visitor's signed session cookie (`sid`, or `__Host-sid` in production), if any. */
export function cookieSessionIdOf(visitor: Visitor<unknown>): string | undefined {
  const cookie = visitor.cookies.get('sid') ?? visitor.cookies.get('__Host-sid')
  return cookie === undefined ? undefined : cookie.slice(0, cookie.lastIndexOf('.'))
}

/** The id of the visitor's row in the Session table (the hash of the id in its cookie), if it has a cookie. */
export function sessionIdOf(visitor: Visitor<unknown>): string | undefined {
  const id = cookieSessionIdOf(visitor)
  return id === undefined ? undefined : hashSessionId(id)
}

/**
 * An app on the file's database (with CONFIRM_SECONDS when given, for the pages that ask to confirm it's you),
 * and a visitor signed in to a fresh account.
 */
export async function startSignedInVisit(
  t: Parameters<typeof startVisit>[0],
  options: { databaseUrl: string; confirmSeconds?: number },
) {
  const env: Record<string, string> =
    options.confirmSeconds === undefined ? {} : { CONFIRM_SECONDS: String(options.confirmSeconds) }
  const visit = await startVisit(t, { databaseUrl: options.databaseUrl, env })
  const email = uniqueEmail()
  const user = await createAccount(visit.db, email)
  await signIn(visit, email)
  return Object.assign(visit, { email, user })
}
