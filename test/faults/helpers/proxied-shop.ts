// The shop's process with a TCP proxy the test controls between it and its own fresh database.
import type { TestContext } from 'node:test'
import { createTestDatabase } from '../../helpers/database.ts'
import { openDb } from '../../helpers/shop-data.ts'
import { startShop } from './shop-process.ts'
import { TcpProxy } from './tcp-proxy.ts'

export async function startShopBehindProxy(t: Pick<TestContext, 'after'>) {
  const databaseUrl = await createTestDatabase(t)
  const proxy = await TcpProxy.start({ host: '127.0.0.1', port: Number(new URL(databaseUrl).port || 5432) })
  t.after(() => proxy.close())
  const shop = await startShop(t, { databaseUrl: proxy.urlFor(databaseUrl) })
  return { proxy, shop, db: openDb(t, databaseUrl), databaseName: new URL(databaseUrl).pathname.slice(1) }
}
