// The catalog's pages as a plain guest sees them (plugins/page-context.ts), rendered once per catalog version and
// shared by every plain guest, each sent the page with their own CSRF token spliced in. What such a page shows
// is built here from the catalog alone, and its key names the page and the catalog version it was read from:
// nothing of a visitor's can reach a page kept for everyone.
import type { Catalog, Product } from './products.ts'

/** A rendered page, cut where the CSRF token goes. */
export type PageParts = readonly string[]

export type CatalogPage = {
  readonly key: string
  readonly version: number
  readonly template: string
  readonly data: Readonly<Record<string, unknown>>
}

/** Renders a page with the layout's plain-guest context (views.ts, viewForAnyGuest). */
export type RenderForAnyGuest = (template: string, data: Readonly<Record<string, unknown>>) => Promise<PageParts>

export function catalogPage(catalog: Catalog): CatalogPage {
  const data = { title: 'Catalog', products: catalog.products }
  return { key: `catalog:${catalog.version}`, version: catalog.version, template: 'catalog/index', data }
}

export function productPage(catalog: Catalog, product: Product): CatalogPage {
  const data = { title: product.name, product }
  const key = `product:${product.id}:${catalog.version}`
  return { key, version: catalog.version, template: 'catalog/product', data }
}

/** The newest catalog version's pages; those of an older version go as soon as a newer one is asked for. */
export class GuestPageCache {
  readonly #render: RenderForAnyGuest
  #version = 0
  #pages = new Map<string, Promise<PageParts>>()

  constructor(render: RenderForAnyGuest) {
    this.#render = render
  }

  parts(page: CatalogPage): Promise<PageParts> {
    if (page.version > this.#version) {
      this.#version = page.version
      this.#pages = new Map()
    }
    // A request that read the catalog just before it changed gets its page, but it is not kept for anyone.
    if (page.version < this.#version) return this.#render(page.template, page.data)
    let parts = this.#pages.get(page.key)
    if (parts === undefined) {
      // The promise is kept, so guests arriving while the page renders share that one render.
      const rendering = this.#render(page.template, page.data)
      const pages = this.#pages
      rendering.catch(() => {
        if (pages.get(page.key) === rendering) pages.delete(page.key)
      })
      pages.set(page.key, rendering)
      parts = rendering
    }
    return parts
  }
}
