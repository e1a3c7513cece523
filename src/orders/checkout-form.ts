// The checkout form's hidden fields: the key of the cart view it came from, and the total that view showed.
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import { textField } from '../forms/parse.ts'

const STALE_FORM = 'This checkout form is incomplete or out of date. Please check your cart and check out again.'

/** A new key for each cart view: 128 random bits, so one shopper's keys never meet another's. */
export function newCheckoutKey(): string {
  return randomBytes(16).toString('base64url')
}

export const checkoutForm = z.object({
  checkout_key: textField(STALE_FORM).refine((key) => /^[A-Za-z0-9_-]{22}$/.test(key), { error: STALE_FORM }),
  // Decimal digits only, and at most nine: a total the shop could show, not whatever Number() accepts.
  expected_total_cents: textField(STALE_FORM)
    .refine((total) => /^\d{1,9}$/.test(total), { error: STALE_FORM, abort: true })
    .transform(Number),
})
