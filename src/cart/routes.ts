// The cart pages and its forms, and checkout. Rules live in cart.ts and ../orders/checkout.ts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { z } from 'zod'
import { requireUser } from '../auth/guard.ts'
import { safeNextPath } from '../auth/next-path.ts'
import { findProduct } from '../catalog/products.ts'
import { requireVerifiedEmail } from '../email-verify/require-verified.ts'
import { parseForm, textField } from '../forms/parse.ts'
import { answerCheckout } from '../orders/checkout-answer.ts'
import { renderError } from '../plugins/errors.ts'
import { parseId } from '../shared/ids.ts'
import { addItem, MAX_QUANTITY, parseQuantity, type Refusal, removeItem, setQuantity } from './cart.ts'
import { renderCart } from './cart-page.ts'
import { flashAlong, leaveFlash } from './flash-along.ts'
import { cartOwnerForChange, cartOwnerOf } from './owner.ts'

type ProductParams = { productId: string }

const QUANTITY_ERROR = `Quantity must be a whole number from 1 to ${MAX_QUANTITY}.`

/** A quantity as a form sends it: decimal digits, a whole number from `min` to 99. */
const quantityField = (min: number) =>
  textField(QUANTITY_ERROR).transform((text, context) => {
    const quantity = parseQuantity(text, min)
    if (quantity === null) context.addIssue({ code: 'custom', message: QUANTITY_ERROR })
    return quantity ?? min
  })

const addForm = z.object({
  // Hidden; one that names no product is a 404, like an unknown product's page, not a 400.
  productId: z.unknown().optional().transform(parseId),
  // No quantity field means one; a quantity that is there, even an emptied one, must be valid.
  quantity: quantityField(1).default(1),
  returnTo: z.unknown().optional(),
})

// Here 0 is a quantity too: it removes the line.
const quantityForm = z.object({ quantity: quantityField(0) })
const CART_MOVED_ERROR = 'Your cart has just moved (did you sign in in another tab?). Please try again.'

export async function cartRoutes(app: FastifyInstance) {
  function refuse(request: FastifyRequest, reply: FastifyReply, refusal: Refusal) {
    if (refusal === 'no-such-product') return renderError(reply, 404)
    // A sign-in in another tab moved this session's cart into the account and ended the session meanwhile.
    return renderCart(request, reply, 409, CART_MOVED_ERROR)
  }

  app.get('/cart', (request, reply) => renderCart(request, reply))

  app.post('/cart/items', async (request, reply) => {
    const form = parseForm(addForm, request.body)
    if (!form.ok) return renderCart(request, reply, 400, form.messages.quantity)
    const { productId, quantity, returnTo } = form.data
    const product = productId === null ? null : await findProduct(app.db, productId)
    if (product === null) return renderError(reply, 404)
    const owner = await cartOwnerForChange(request)
    const flash = {
      done: `Added ${product.name} to your cart.`,
      capped: `${product.name}: ${MAX_QUANTITY} is the most one cart can hold, so you now have ${MAX_QUANTITY}.`,
    }
    const along = flashAlong(request, flash)
    const added = await addItem(app.db, owner, product.id, quantity, along)
    if (typeof added === 'string') return refuse(request, reply, added)
    leaveFlash(request, added.wasCapped ? flash.capped : flash.done, along !== null)
    return reply.redirect(returnPath(request, returnTo), 303)
  })

  app.post<{ Params: ProductParams }>('/cart/items/:productId', async (request, reply) => {
    const productId = parseId(request.params.productId)
    if (productId === null) return renderError(reply, 404)
    const form = parseForm(quantityForm, request.body)
    if (!form.ok) return renderCart(request, reply, 400, form.messages.quantity)
    const { quantity } = form.data
    // Checked before a guest's session is stored: a refused change leaves nothing behind.
    if ((await findProduct(app.db, productId)) === null) return renderError(reply, 404)
    if (quantity === 0) return removeLine(request, reply, productId)
    const owner = await cartOwnerForChange(request)
    const message = 'Quantity updated.'
    const along = flashAlong(request, { done: message, capped: message })
    const written = await setQuantity(app.db, owner, productId, quantity, along)
    if (typeof written === 'string') return refuse(request, reply, written)
    leaveFlash(request, message, along !== null)
    return reply.redirect('/cart', 303)
  })

  app.post<{ Params: ProductParams }>('/cart/items/:productId/delete', async (request, reply) => {
    const productId = parseId(request.params.productId)
    const product = productId === null ? null : await findProduct(app.db, productId)
    if (product === null) return renderError(reply, 404)
    return removeLine(request, reply, product.id)
  })

  app.post(
    '/checkout',
    { preHandler: [requireUser, requireVerifiedEmail], config: { signInNext: '/cart' } },
    answerCheckout,
  )
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
