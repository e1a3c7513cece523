// Checking out as a browser does: the cart page's checkout form, with its hidden key and the total it showed.
import { findForm, type Visitor } from './visitor.ts'

export type CheckoutFields = { _csrf: string; checkout_key: string; expected_total_cents: string }

/** The hidden fields of the checkout form on a cart page's HTML. */
export function checkoutFields(html: string): CheckoutFields {
  const form = findForm(html, '/checkout')
  const { _csrf, checkout_key, expected_total_cents } = form?.fields ?? {}
  if (_csrf === undefined || checkout_key === undefined || expected_total_cents === undefined) {
    throw new Error('no checkout form with its hidden fields on this page')
  }
  return { _csrf, checkout_key, expected_total_cents }
}

/** Opens the visitor's cart and reads its checkout form, to post it later (or several times). */
export async function openCheckout<R>(visitor: Visitor<R>): Promise<CheckoutFields> {
  return checkoutFields(visitor.transport.read(await visitor.get('/cart')).body)
}

/** Opens the cart and posts its checkout form: one click on "Check out". */
export async function checkout<R>(visitor: Visitor<R>): Promise<R> {
  return visitor.post('/checkout', await openCheckout(visitor))
}
