// `npm run demo:reprice [slug] [cents]`: changes one product's price in the shop's database (DATABASE_URL, or the
// embedded one under .data/ that `npm start` uses), to watch the cart flag it ("was $X") and checkout refuse the
// old total. Without a price it raises the product's by 10%; without a slug it picks the Enamel Camp Mug.
import path from 'node:path'
import { openDatabase } from '../src/db/client.ts'
import { startEmbeddedPostgres } from '../src/db/embedded.ts'
import { localDataDir } from '../src/local-data.ts'
import { formatCents } from '../src/shared/money.ts'

const [slug = 'camp-mug', cents] = process.argv.slice(2)
if (cents !== undefined && !/^\d{1,9}$/.test(cents)) {
  console.error('The price is a whole number of cents, e.g. 1750 for $17.50.')
  process.exit(1)
}
const embedded = process.env.DATABASE_URL
  ? null
  : await startEmbeddedPostgres(path.join(localDataDir, 'postgres'), () => {})
const db = openDatabase(process.env.DATABASE_URL ?? (embedded?.url('cartwheel') as string))
try {
  const product = await db.prisma.product.findUnique({ where: { slug } })
  if (product === null) {
    console.error(`No product "${slug}".`)
    process.exitCode = 1
  } else {
    const priceCents = cents === undefined ? Math.round(product.priceCents * 1.1) : Number(cents)
    await db.prisma.product.update({ where: { id: product.id }, data: { priceCents } })
    console.log(`${product.name}: ${formatCents(product.priceCents)} → ${formatCents(priceCents)}`)
  }
} finally {
  await db.close()
  await embedded?.stop()
}
