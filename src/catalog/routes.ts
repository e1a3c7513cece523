// Catalog pages. The rules about products live in products.ts, the pages kept for plain guests in page-cache.ts.
import type { FastifyInstance, FastifyReply } from 'fastify'
import { renderError } from '../plugins/errors.ts'
import { isPlainGuest } from '../plugins/page-context.ts'
import { parseId } from '../shared/ids.ts'
import { type CatalogPage, catalogPage, GuestPageCache, productPage } from './page-cache.ts'
import { productIn, readCatalog } from './products.ts'

export async function catalogRoutes(app: FastifyInstance, options: { keepGuestPages: boolean }) {
  const guestPages = new GuestPageCache((template, data) => app.viewForAnyGuest(template, data))

  // Anyone but a plain guest sees something of their own in the header, so gets the page rendered for them.
  async function sendPage(reply: FastifyReply, page: CatalogPage) {
    if (!options.keepGuestPages || !isPlainGuest(reply.locals)) return reply.viewAsync(page.template, page.data)
    return reply.sendWithCsrfToken(await guestPages.parts(page))
  }

  app.get('/', async (_request, reply) => sendPage(reply, catalogPage(await readCatalog(app.db))))

  app.get<{ Params: { id: string } }>('/products/:id', async (request, reply) => {
    // To a visitor a malformed id is just a product that isn't there: 404, not 400.
    const id = parseId(request.params.id)
    if (id === null) return renderError(reply, 404)
    const catalog = await readCatalog(app.db)
    const product = productIn(catalog, id)
    if (product === null) return renderError(reply, 404)
    return sendPage(reply, productPage(catalog, product))
  })
}
