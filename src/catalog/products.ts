// The catalog: products and their prices, in integer cents.
import type { Database } from '../db/client.ts'
import { int, type RawRow, text } from '../db/decode.ts'
import { Prisma } from '../generated/prisma/client.ts'
import { coalesced } from './coalesced.ts'

export type Product = {
  id: number
  slug: string
  name: string
  description: string
  priceCents: number
  imagePath: string
}

const decodeProduct = (row: RawRow): Product => ({
  id: int(row, 'id'),
  slug: text(row, 'slug'),
  name: text(row, 'name'),
  description: text(row, 'description'),
  priceCents: int(row, 'priceCents'),
  imagePath: text(row, 'imagePath'),
})

type Catalog = () => Promise<readonly Product[]>

// One coalesced reader per database client (per instance), so that all its requests share their queries.
const catalogs = new WeakMap<Database, Catalog>()

function catalogOf(db: Database): Catalog {
  let catalog = catalogs.get(db)
  if (catalog === undefined) {
    let previous: readonly Product[] = Object.freeze([])
    catalog = coalesced(async () => {
      // Read on every catalog and product page, so on the direct path (see db/sql.ts).
      const products = await db.sql.rows(
        Prisma.sql`SELECT id, slug, name, description, "priceCents", "imagePath" FROM "Product" ORDER BY id`,
        decodeProduct,
      )
      // The same object for as long as nothing changed, so pages rendered from it can be kept (views.ts);
      // frozen, because one answer is shared by every request that waited for it.
      if (!isSameCatalog(products, previous))
        previous = Object.freeze(products.map((product) => Object.freeze(product)))
      return previous
    })
    catalogs.set(db, catalog)
  }
  return catalog
}

// Field by field, whatever the fields are: a column added to Product later is compared too.
function isSameCatalog(next: readonly Product[], previous: readonly Product[]): boolean {
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
export function listProducts(db: Database): Promise<readonly Product[]> {
  return catalogOf(db)()
}

/**
 * One product, from the same coalesced query as the catalog page: the catalog page lists every product
 * anyway, and one shared query for all of them costs less than one query per lookup.
 */
export async function findProduct(db: Database, id: number): Promise<Product | null> {
  return (await listProducts(db)).find((product) => product.id === id) ?? null
}
