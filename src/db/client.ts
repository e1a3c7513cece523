// The one Prisma client of a process, on node-postgres through Prisma's pg adapter, and that adapter
// itself for the few statements that run on almost every request (see direct-sql.ts).
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { PrismaClient } from '../generated/prisma/client.ts'

export type Db = InstanceType<typeof PrismaClient>
type DriverAdapter = Awaited<ReturnType<PrismaPg['connect']>>

type Connection = { pool: pg.Pool; adapter: () => Promise<DriverAdapter> }

// Keyed by client, so that code keeps taking one `db` argument whichever path a statement takes.
const connections = new WeakMap<Db, Connection>()

export function createDb(databaseUrl: string): Db {
  // One pool, shared by the client and the direct statements: one connection budget, one set of timeouts.
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
    options: '-c TimeZone=UTC',
  })
  const db = new PrismaClient({ adapter: new PrismaPg(pool) })
  // The direct statements are prepared: each is parsed once per connection, then only bound and run.
  const direct = new PrismaPg(pool, { statementNameGenerator: ({ sql }) => preparedStatementName(sql) })
  let adapter: Promise<DriverAdapter> | undefined
  connections.set(db, { pool, adapter: () => (adapter ??= direct.connect()) })
  return db
}

// Named by text, the same name on every connection. The direct statements are a handful of texts fixed in
// the code (their values are parameters), so this stays small.
const statementNames = new Map<string, string>()

function preparedStatementName(sql: string): string {
  let name = statementNames.get(sql)
  if (name === undefined) {
    name = `direct_${statementNames.size + 1}`
    statementNames.set(sql, name)
  }
  return name
}

/** Prisma's pg adapter on the client's own pool. */
export function driverAdapterOf(db: Db): Promise<DriverAdapter> {
  return connectionOf(db).adapter()
}

/** Disconnects the client and closes the pool it shares with the direct statements. */
export async function closeDb(db: Db): Promise<void> {
  await db.$disconnect()
  await connectionOf(db).pool.end()
}

function connectionOf(db: Db): Connection {
  const connection = connections.get(db)
  if (connection === undefined) throw new Error('not a client made by createDb')
  return connection
}

type Query = (...args: unknown[]) => unknown

/**
 * A connection whose query ran past query_timeout is closed at once. pg fails the query but keeps the connection,
 * still waiting for the lost answer; the pool drops it after a plain query, but @prisma/adapter-pg hands a
 * transaction's connection back as healthy, and every later query on it would wait out the timeout again.
 */
class ClosedOnTimeoutClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query has a dozen overloads; this one passes each through.
  override query(...args: unknown[]): any {
    const result = (pg.Client.prototype.query as Query).apply(this, args)
    if (!(result instanceof Promise)) return result
    return result.catch((error: unknown) => {
      if (error instanceof Error && error.message === 'Query read timeout') this.connection.stream.destroy()
      throw error
    })
  }
}
