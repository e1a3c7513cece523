// The cart pages and its forms, and checkout. Rules live in cart.ts and ../orders/orders.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { currentUserId, requireUser } from '../auth/guard.ts'
import { safeNextPath } from '../auth/next-path.ts'
import { findProduct } from '../catalog/products.ts'
import { checkout } from '../orders/orders.ts'
import { renderError } from '../plugins/errors.ts'
import { parseId } from '../shared/ids.ts'
import { addItem, getCart, MAX_QUANTITY, parseQuantity, type Refusal, removeItem, setQuantity } from './cart.ts'
import { cartOwnerForChange, cartOwnerOf } from './owner.ts'

type AddBody = { productId?: unknown; quantity?: unknown; returnTo?: unknown }
type QuantityBody = { quantity?: unknown }
type ProductParams = { productId: string }

const QUANTITY_ERROR = `Quantity must be a whole number from 1 to ${MAX_QUANTITY}.`
const CART_MOVED_ERROR = 'Your cart has just moved (did you sign in in another tab?). Please try again.'

export async function cartRoutes(app: FastifyInstance) {
  async function renderCart(request: FastifyRequest, reply: FastifyReply, status = 200, error?: string) {
    const owner = cartOwnerOf(request)
    const cart = owner === null ? { lines: [], totalCents: 0, itemCount: 0 } : await getCart(app.db, owner)
    return reply.code(status).viewAsync('cart/index', { title: 'Your cart', cart, error })
  }

  function refuse(request: FastifyRequest, reply: FastifyReply, refusal: Refusal) {
    if (refusal === 'no-such-product') return renderError(reply, 404)
    // A sign-in in another tab moved this session's cart into the account and ended the session meanwhile.
    return renderCart(request, reply, 409, CART_MOVED_ERROR)
  }

  app.get('/cart', (request, reply) => renderCart(request, reply))

  app.post<{ Body: AddBody }>('/cart/items', async (request, reply) => {
    const { body } = request
    const productId = parseId(body.productId)
    // No quantity field means one; a quantity that is there, even an emptied one, must be valid.
    const quantity = body.quantity === undefined ? 1 : parseQuantity(body.quantity)
    if (quantity === null) return renderCart(request, reply, 400, QUANTITY_ERROR)
    const product = productId === null ? null : await findProduct(app.db, productId)
    if (product === null) return renderError(reply, 404)
    const added = await addItem(app.db, await cartOwnerForChange(request), product.id, quantity)
    if (typeof added === 'string') return refuse(request, reply, added)
    request.session.flash = added.wasCapped
      ? `${product.name}: ${MAX_QUANTITY} is the most one cart can hold, so you now have ${MAX_QUANTITY}.`
      : `Added ${product.name} to your cart.`
    return reply.redirect(returnPath(request, body.returnTo), 303)
  })

  app.post<{ Params: ProductParams; Body: QuantityBody }>('/cart/items/:productId', async (request, reply) => {
    const productId = parseId(request.params.productId)
    if (productId === null) return renderError(reply, 404)
    const quantity = parseQuantity(request.body.quantity, 0)
    if (quantity === null) return renderCart(request, reply, 400, QUANTITY_ERROR)
    // Checked before a guest's session is stored: a refused change leaves nothing behind.
    if ((await findProduct(app.db, productId)) === null) return renderError(reply, 404)
    if (quantity === 0) return removeLine(request, reply, productId)
    const written = await setQuantity(app.db, await cartOwnerForChange(request), productId, quantity)
    if (typeof written === 'string') return refuse(request, reply, written)
    request.session.flash = 'Quantity updated.'
    return reply.redirect('/cart', 303)
  })

  app.post<{ Params: ProductParams }>('/cart/items/:productId/delete', async (request, reply) => {
    const productId = parseId(request.params.productId)
    const product = productId === null ? null : await findProduct(app.db, productId)
    if (product === null) return renderError(reply, 404)
    return removeLine(request, reply, product.id)
  })

  app.post('/checkout', { preHandler: requireUser, config: { signInNext: '/cart' } }, async (request, reply) => {
    const orderId = await checkout(app.db, currentUserId(request))
    if (orderId === null)
      return renderCart(request, reply, 400, 'Your cart is empty: add something before checking out.')
    request.session.flash = 'Thank you! Your order is placed.'
    return reply.redirect(`/orders/${orderId}`, 303)
  })
}

/** Removes the product's line, if there is one: a double click on Remove is no error. */
async function removeLine(request: FastifyRequest, reply: FastifyReply, productId: number) {
  const owner = cartOwnerOf(request)
  // A guest with no session has no cart: nothing to remove, and no session is made just for the message.
  if (owner !== null) {
    await removeItem(request.server.db, owner, productId)
    request.session.flash = 'Removed from your cart.'
  }
  return reply.redirect('/cart', 303)
}

/** Back to the page the form was on (a local path only), else the cart. */
function returnPath(request: FastifyRequest, returnTo: unknown): string {
  if (typeof returnTo === 'string' && returnTo !== '') return safeNextPath(returnTo, '/cart')
  const referer = request.headers.referer
  if (referer === undefined || !URL.canParse(referer)) return '/cart'
  const url = new URL(referer)
  // Only a page of this site: the Referer's host must be the one this request was sent to. Both go through
  // the URL parser, which drops a default port, so `Host: shop.test:80` matches `http://shop.test/`.
  const here = `${url.protocol}//${request.host}`
  if (!URL.canParse(here) || new URL(here).host !== url.host) return '/cart'
  return safeNextPath(url.pathname + url.search, '/cart')
}
