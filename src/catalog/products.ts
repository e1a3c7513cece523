// The catalog: products and their prices, in integer cents.
import type { Database } from '../db/client.ts'
import { int, intOrNull, type RawRow, text } from '../db/decode.ts'
import { Prisma } from '../generated/prisma/client.ts'
import { coalesced } from './coalesced.ts'

export type Product = {
  id: number
  slug: string
  name: string
  description: string
  priceCents: number
  imagePath: string
  /**
   * The stock, only when the pages say it ("Only N left", "Sold out"), else null. Products are compared field
   * by field to version the catalog (and the guest pages kept per version), so a sale that leaves 900 of 1,000
   * changes no page and keeps the kept pages, while one that leaves 5 makes every page show it at once.
   */
  stockLeft: number | null
}

/** At this stock or less, the pages say how many are left. */
export const LOW_STOCK = 5

const decodeProduct = (row: RawRow): Product => ({
  id: int(row, 'id'),
  slug: text(row, 'slug'),
  name: text(row, 'name'),
  description: text(row, 'description'),
  priceCents: int(row, 'priceCents'),
  imagePath: text(row, 'imagePath'),
  stockLeft: intOrNull(row, 'stockLeft'),
})

/** The products as read by one query, and a version that changes whenever they differ from the previous read. */
export type Catalog = { readonly version: number; readonly products: readonly Product[] }

// One coalesced reader per database client (per instance), so that all its requests share their queries.
const readers = new WeakMap<Database, () => Promise<Catalog>>()

function readerOf(db: Database): () => Promise<Catalog> {
  let reader = readers.get(db)
  if (reader === undefined) {
    let current: Catalog = Object.freeze({ version: 0, products: Object.freeze([]) })
    reader = coalesced(async () => {
      // Read on every catalog and product page, so on the direct path (see db/sql.ts).
      const products = await db.sql.rows(
        Prisma.sql`SELECT id, slug, name, description, "priceCents", "imagePath",
          CASE WHEN stock <= ${LOW_STOCK} THEN stock END AS "stockLeft"
          FROM "Product" ORDER BY id`,
        decodeProduct,
      )
      // The guest pages are kept per version (page-cache.ts); frozen, because one answer is shared by every
      // request that waited for it.
      if (!isSameProducts(products, current.products)) {
        const frozen = Object.freeze(products.map((product) => Object.freeze(product)))
        current = Object.freeze({ version: current.version + 1, products: frozen })
      }
      return current
    })
    readers.set(db, reader)
  }
  return reader
}

// Field by field, whatever the fields are: a column added to Product later is compared too.
function isSameProducts(next: readonly Product[], previous: readonly Product[]): boolean {
  return (
    next.length === previous.length &&
    next.every((product, index) => {
      const before: Record<string, unknown> = previous[index] ?? {}
      const fields = Object.entries(product)
      return fields.length === Object.keys(before).length && fields.every(([key, value]) => before[key] === value)
    })
  )
}

/** Every product, as of a query sent after this call (see coalesced.ts). */
export function readCatalog(db: Database): Promise<Catalog> {
  return readerOf(db)()
}

export function productIn(catalog: Catalog, id: number): Product | null {
  return catalog.products.find((product) => product.id === id) ?? null
}

/**
 * One product, from the same coalesced query as the catalog page: the catalog page lists every product
 * anyway, and one shared query for all of them costs less than one query per lookup.
 */
export async function findProduct(db: Database, id: number): Promise<Product | null> {
  return productIn(await readCatalog(db), id)
}
