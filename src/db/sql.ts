// The direct path: statements sent through the Prisma pg adapter's query interface (`SqlQueryable` of
// @prisma/driver-adapter-utils: `queryRaw` and `executeRaw`, what every Prisma driver adapter implements),
// past the Prisma client. The same pool, value conversions and error shapes as `$queryRaw`, at a third of the
// CPU (bench/statement-paths.ts: 45-70 against 170-175 µs), and each statement is prepared once per connection.
// Rows come back as the adapter's wire values (numbers, booleans, ISO strings for timestamps, text for JSON)
// and go through a decoder (see decode.ts), so callers get the same types the Prisma path returns.
import { PrismaPg } from '@prisma/adapter-pg'
import type pg from 'pg'
import { Prisma } from '../generated/prisma/client.ts'
import type { RawRow } from './decode.ts'

type Adapter = Awaited<ReturnType<PrismaPg['connect']>>

const UNTYPED = { scalarType: 'unknown', arity: 'scalar' } as const

type Queryable = Pick<Adapter, 'queryRaw' | 'executeRaw'>

/** Statements on one queryable: the pool (each statement on its own) or one transaction's connection. */
export class SqlStatements {
  readonly #queryable: () => Promise<Queryable>

  constructor(queryable: () => Promise<Queryable>) {
    this.#queryable = queryable
  }

  /** The rows of a `Prisma.sql` query, each through `decode`. */
  async rows<Row>(statement: Prisma.Sql, decode: (row: RawRow) => Row): Promise<Row[]> {
    const { columnNames, rows } = await (await this.#queryable()).queryRaw(toAdapterQuery(statement))
    return rows.map((values) => {
      const row: RawRow = {}
      for (let index = 0; index < columnNames.length; index++) row[columnNames[index] as string] = values[index]
      return decode(row)
    })
  }

  /** The first row, or null when there is none. */
  async firstRow<Row>(statement: Prisma.Sql, decode: (row: RawRow) => Row): Promise<Row | null> {
    const [row] = await this.rows(statement, decode)
    return row ?? null
  }

  /** Runs a statement; the number of rows it changed. */
  async execute(statement: Prisma.Sql): Promise<number> {
    return (await this.#queryable()).executeRaw(toAdapterQuery(statement))
  }
}

export class DirectSql extends SqlStatements {
  readonly #adapter: () => Promise<Adapter>

  constructor(pool: pg.Pool) {
    // Prepared: each statement is parsed once per connection, then only bound and run.
    const factory = new PrismaPg(pool, { statementNameGenerator: ({ sql }) => statementName(sql) })
    let adapter: Promise<Adapter> | undefined
    const connect = () => {
      adapter ??= factory.connect()
      return adapter
    }
    super(connect)
    this.#adapter = connect
  }

  /**
   * Runs `work` in one transaction on one connection: committed when it returns, rolled back when it throws.
   * The adapter's transaction only holds the connection; as for the Prisma client, BEGIN (sent by
   * startTransaction), COMMIT and ROLLBACK are statements of ours. A connection that failed mid-way is closed
   * by ClosedOnTimeoutClient or by pg itself, so the pool never hands it out again.
   */
  async transaction<T>(work: (tx: SqlStatements) => Promise<T>): Promise<T> {
    const transaction = await (await this.#adapter()).startTransaction()
    const statements = new SqlStatements(async () => transaction)
    let result: T
    try {
      result = await work(statements)
      await statements.execute(Prisma.sql`COMMIT`)
    } catch (error) {
      // The transaction's own error is the one to report; a failed ROLLBACK means the connection is gone.
      await statements.execute(Prisma.sql`ROLLBACK`).catch(() => {})
      await transaction.rollback()
      throw error
    }
    await transaction.commit()
    return result
  }
}

function toAdapterQuery(statement: Prisma.Sql) {
  return { sql: statement.text, args: statement.values, argTypes: statement.values.map(() => UNTYPED) }
}

// Named by text, the same name on every connection. The direct statements are a handful of texts fixed in the
// code (their values are parameters), so this stays small.
const statementNames = new Map<string, string>()

function statementName(sql: string): string {
  let name = statementNames.get(sql)
  if (name === undefined) {
    name = `direct_${statementNames.size + 1}`
    statementNames.set(sql, name)
  }
  return name
}
