// Seeds the demo catalog. Idempotent: products are keyed by slug, and existing ones are left as they are.
import type { Database } from '../db/client.ts'
import { demoProducts } from './demo-products.ts'

export async function seedCatalog(db: Database): Promise<number> {
  const { count } = await db.prisma.product.createMany({
    data: demoProducts.map(([slug, name, priceCents, description, stock]) => ({
      slug,
      name,
      priceCents,
      description,
      stock,
      imagePath: `/static/images/products/${slug}.svg`,
    })),
    skipDuplicates: true,
  })
  return count
}
