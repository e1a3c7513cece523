// The catalog: products and their prices, in integer cents.
import type { Db } from '../db/client.ts'
import { coalesced } from './coalesced.ts'

export type Product = {
  id: number
  slug: string
  name: string
  description: string
  priceCents: number
  imagePath: string
}

type Catalog = () => Promise<readonly Product[]>

// One coalesced reader per database client (per instance), so that all its requests share their queries.
const catalogs = new WeakMap<Db, Catalog>()

function catalogOf(db: Db): Catalog {
  let catalog = catalogs.get(db)
  if (catalog === undefined) {
    // Frozen: one answer is shared by every request that waited for it.
    catalog = coalesced(async () => {
      const products: Product[] = await db.product.findMany({ orderBy: { id: 'asc' } })
      return Object.freeze(products.map((product) => Object.freeze(product)))
    })
    catalogs.set(db, catalog)
  }
  return catalog
}

/** Every product, as of a query sent after this call (see coalesced.ts). */
export function listProducts(db: Db): Promise<readonly Product[]> {
  return catalogOf(db)()
}

/**
 * One product, from the same coalesced query as the catalog page: the contract's catalog page lists every
 * product anyway, and one shared query for all of them costs less than one query per lookup.
 */
export async function findProduct(db: Db, id: number): Promise<Product | null> {
  return (await listProducts(db)).find((product) => product.id === id) ?? null
}
