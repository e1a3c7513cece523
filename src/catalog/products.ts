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
