// POST /checkout's answer: parse the form, place the order, and say what happened. The rules are checkout.ts.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { currentUserId } from '../auth/guard.ts'
import { renderCart } from '../cart/cart-page.ts'
import { parseForm } from '../forms/parse.ts'
import { formatCents } from '../shared/money.ts'
import { type CheckoutResult, placeOrder, type ShortLine } from './checkout.ts'
import { checkoutForm } from './checkout-form.ts'

const EMPTY = 'Your cart is empty: add something before checking out.'

export async function answerCheckout(request: FastifyRequest, reply: FastifyReply) {
  const form = parseForm(checkoutForm, request.body)
  if (!form.ok) {
    const message = form.messages.checkout_key ?? form.messages.expected_total_cents
    return renderCart(request, reply, 400, message)
  }
  const app = request.server
  const userId = currentUserId(request)
  const user = await app.db.prisma.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true } })
  const result = await placeOrder(app.db, {
    userId,
    checkoutKey: form.data.checkout_key,
    expectedTotalCents: form.data.expected_total_cents,
    mail: (order) => app.mail('order-placed', user.email, { order }),
  })
  if (result.kind === 'placed' || result.kind === 'already-placed') {
    if (result.kind === 'placed') request.session.flash = 'Thank you! Your order is placed.'
    return reply.redirect(`/orders/${result.orderId}`, 303)
  }
  return renderCart(request, reply, result.kind === 'empty' ? 400 : 409, refusalMessage(result, form.data))
}

function refusalMessage(
  result: Exclude<CheckoutResult, { kind: 'placed' | 'already-placed' }>,
  form: { expected_total_cents: number },
): string {
  switch (result.kind) {
    case 'empty':
      return EMPTY
    case 'foreign-key':
      return 'This checkout form is not from your cart. Please check your cart and check out again.'
    case 'total-changed':
      return (
        `Prices changed since you opened your cart: the total is now ${formatCents(result.totalCents)}, ` +
        `not ${formatCents(form.expected_total_cents)}. Nothing was ordered; check the marked lines and check out again.`
      )
    case 'short':
      return `Not enough in stock for ${result.lines.map(describeShort).join(', ')}. Nothing was ordered; lower the quantity or remove the line, then check out again.`
  }
}

function describeShort(line: ShortLine): string {
  return line.stock === 0 ? `${line.name} (sold out)` : `${line.name} (only ${line.stock} left)`
}
