// The fields that several forms share, so that a rule (what an email is, what a new password must be) is
// written once and every form refuses the same input with the same words.
import { isCommonPassword } from '../auth/common-passwords.ts'
import { normalizeEmail } from '../auth/users.ts'
import { textField } from './parse.ts'

const EMAIL_MAX_LENGTH = 254
// Deliberately simple: one @, something before it, a dot in the domain, no spaces.
const EMAIL_SHAPE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/
const EMAIL_EMPTY = 'Enter your email address.'
const EMAIL_EXAMPLE = 'Enter an email address like name@example.com.'

const PASSWORD_MIN_LENGTH = 8
const PASSWORD_MAX_LENGTH = 256
const PASSWORD_NOT_TEXT = 'A password cannot contain control characters.'

/** An email as typed: trimmed and lower-cased, so `Ann@x.test` and `ann@x.test` are one account. */
const typedEmail = textField(EMAIL_EMPTY, EMAIL_EXAMPLE).transform(normalizeEmail)

/** An address to create or send to: typed, and shaped like an address. */
export const emailField = typedEmail
  .refine((email) => email !== '', { error: EMAIL_EMPTY, abort: true })
  .refine((email) => email.length <= EMAIL_MAX_LENGTH && EMAIL_SHAPE.test(email), { error: EMAIL_EXAMPLE })

/**
 * An address to sign in with: any text. One that cannot exist is just an email without an account, and gets
 * the same 401 as any other (telling them apart would say which emails are well-formed accounts).
 */
export const signInEmailField = typedEmail

/** A password to check (sign-in, the current password): any text, no length rule. */
export const passwordField = textField('Enter your password.', PASSWORD_NOT_TEXT)

/** The register rules: 8 to 256 characters (code points, so an emoji is one), and not a common password. */
export const newPasswordField = textField(`Use at least ${PASSWORD_MIN_LENGTH} characters.`, PASSWORD_NOT_TEXT)
  .refine((password) => [...password].length >= PASSWORD_MIN_LENGTH, {
    error: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
    abort: true,
  })
  .refine((password) => [...password].length <= PASSWORD_MAX_LENGTH, {
    error: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
    abort: true,
  })
  .refine((password) => !isCommonPassword(password), { error: 'This password is too common. Choose another.' })
