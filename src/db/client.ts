// The one Prisma client of a process, on node-postgres through Prisma's pg adapter.
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '../generated/prisma/client.ts'

export type Db = InstanceType<typeof PrismaClient>

export function createDb(databaseUrl: string): Db {
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: 10,
    // A database that does not answer must not hold a request for long: fail fast, answer 503.
    connectionTimeoutMillis: 3000,
  })
  return new PrismaClient({ adapter })
}
