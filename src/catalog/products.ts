// The catalog: products and their prices, in integer cents.
import type { Db } from '../db/client.ts'

export type Product = {
  id: number
  slug: string
  name: string
  description: string
  priceCents: number
  imagePath: string
}

export function listProducts(db: Db): Promise<Product[]> {
  return db.product.findMany({ orderBy: { id: 'asc' } })
}

export function findProduct(db: Db, id: number): Promise<Product | null> {
  return db.product.findUnique({ where: { id } })
}

/** A product id as it appears in a URL or a form: decimal digits within INT range, else null. */
export function parseProductId(text: unknown): number | null {
  if (typeof text !== 'string' || !/^[1-9]\d{0,9}$/.test(text)) return null
  const id = Number(text)
  return id <= 2_147_483_647 ? id : null
}
