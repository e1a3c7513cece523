// The shop's one way into PostgreSQL: a `Database` with two paths, both on one pool.
// - `db.prisma`: the Prisma client (models, relations, transactions), for almost everything.
// - `db.sql`: prepared statements and short transactions on the hot path (loading a session, a cart add, the
//   catalog read, a sign-in), sent through the Prisma pg adapter's public query interface (see sql.ts): a third
//   of the CPU of `$queryRaw`, and an instance that only serves these never loads Prisma's query compiler.
// A module picks one of the two and keeps to it, so which one runs is visible at every call.
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { PrismaClient } from '../generated/prisma/client.ts'
import { DirectSql } from './sql.ts'

export type PrismaDb = InstanceType<typeof PrismaClient>

export type Database = {
  readonly prisma: PrismaDb
  readonly sql: DirectSql
  /** Disconnects the client and ends the pool the two paths share. */
  close(): Promise<void>
}

export function openDatabase(databaseUrl: string): Database {
  // One pool, shared by both paths: one connection budget, one set of timeouts.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    Client: ClosedOnTimeoutClient,
    max: 10,
    // A database that does not answer must not hold a request for long: each wait below is bounded, and
    // src/db/errors.ts turns its failure into a 503. test/faults/ plays each case. A request can wait twice
    // (for a free connection, then for its answer), so the worst is about 2 + 4 = 6 s.
    // Opening a connection, or waiting for a free one when all ten are busy:
    connectionTimeoutMillis: 2000,
    // PostgreSQL cancels a statement that runs longer (waiting for a lock included); the connection stays usable.
    statement_timeout: 3000,
    // A connection that went silent (the server frozen, or gone behind a partition) never fails by itself.
    query_timeout: 4000,
    // A transaction whose client vanished mid-way would hold its row locks (checkout's FOR UPDATE) until the
    // server noticed, maybe hours later. No transaction here waits between statements; Prisma gives up on one after 5 s.
    idle_in_transaction_session_timeout: 5000,
    // Prisma's pg adapter writes a timestamp as UTC wall time with no zone, and relabels the offset of one it reads
    // as UTC: right only on a connection whose time zone is UTC (prisma/orm#26786, #28629; drop this once fixed).
    // test/db/time-zone.test.ts fails without it.
    options: '-c TimeZone=UTC',
  })
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) })
  const sql = new DirectSql(pool)
  return {
    prisma,
    sql,
    async close() {
      await prisma.$disconnect()
      await pool.end()
    },
  }
}

type Query = (...args: unknown[]) => unknown

// pg's message for a query past query_timeout: it sets no code. test/db/query-timeout.test.ts fails if it changes.
const READ_TIMEOUT = 'Query read timeout'

/**
 * A connection whose query ran past query_timeout is closed at once. pg fails the query but keeps the connection,
 * still waiting for the lost answer; the pool drops it after a plain query, but @prisma/adapter-pg hands a
 * transaction's connection back as healthy, and every later query on it would wait out the timeout again:
 * test/faults/lost-connection.test.ts fails without it (its checkout answered after 12.2 s). pg 8.23 closes
 * such a connection itself only in its pipeline mode. `end()` with a query still on the wire destroys the socket.
 */
export class ClosedOnTimeoutClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; this one passes each through.
  override query(...args: unknown[]): any {
    const result = (pg.Client.prototype.query as Query).apply(this, args)
    if (!(result instanceof Promise)) return result
    return result.catch((error: unknown) => {
      // The connection is going anyway: a failure to say goodbye on it changes nothing.
      if (error instanceof Error && error.message === READ_TIMEOUT) this.end().catch(() => {})
      throw error
    })
  }
}
