// Catalog pages. The rules about products live in products.ts.
import type { FastifyInstance } from 'fastify'
import { renderError } from '../plugins/errors.ts'
import { parseId } from '../shared/ids.ts'
import { findProduct, listProducts } from './products.ts'

export async function catalogRoutes(app: FastifyInstance) {
  app.get('/', async (_request, reply) => {
    const products = await listProducts(app.db)
    return reply.viewForGuests('catalog/index', { title: 'Catalog', products }, products)
  })

  app.get<{ Params: { id: string } }>('/products/:id', async (request, reply) => {
    // To a visitor a malformed id is just a product that isn't there: 404, not 400.
    const id = parseId(request.params.id)
    const product = id === null ? null : await findProduct(app.db, id)
    if (product === null) return renderError(reply, 404)
    return reply.viewForGuests('catalog/product', { title: product.name, product }, product)
  })
}
