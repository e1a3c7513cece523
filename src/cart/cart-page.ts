// The cart page, shown by the cart's own routes and again by a refused checkout. Each view carries a new
// checkout key and the total it shows: the form posts what the shopper saw (see orders/checkout.ts).
import type { FastifyReply, FastifyRequest } from 'fastify'
import { newCheckoutKey } from '../orders/checkout-form.ts'
import { getCart } from './cart.ts'
import { cartOwnerOf } from './owner.ts'

export async function renderCart(request: FastifyRequest, reply: FastifyReply, status = 200, error?: string) {
  const owner = cartOwnerOf(request)
  const cart = owner === null ? { lines: [], totalCents: 0, itemCount: 0 } : await getCart(request.server.db, owner)
  const checkoutKey = newCheckoutKey()
  return reply.code(status).viewAsync('cart/index', { title: 'Your cart', cart, error, checkoutKey })
}
