// The statements that run on almost every request (loading a session, an add to the cart, the catalog read)
// go to Prisma's pg adapter directly, past the Prisma client: the same pool, the same value conversions and
// error shapes as `$queryRaw`, at about a third of the CPU (bench/statement-paths.ts: 45-70 against 170-175 µs).
// Everything else, and every transaction, goes through the client.
import type { Prisma } from '../generated/prisma/client.ts'
import { type Db, driverAdapterOf } from './client.ts'

const UNTYPED = { scalarType: 'unknown', arity: 'scalar' } as const

function toAdapterQuery(query: Prisma.Sql) {
  return { sql: query.text, args: query.values, argTypes: query.values.map(() => UNTYPED) }
}

/**
 * The rows of a `Prisma.sql` query, as the adapter gives them: numbers and booleans as such, timestamps as
 * ISO strings, JSON as text. `Row` names the columns with those wire types.
 */
export async function queryRows<Row extends Record<string, unknown>>(db: Db, query: Prisma.Sql): Promise<Row[]> {
  const { columnNames, rows } = await (await driverAdapterOf(db)).queryRaw(toAdapterQuery(query))
  return rows.map((values) => Object.fromEntries(columnNames.map((name, index) => [name, values[index]])) as Row)
}

/** Runs a `Prisma.sql` statement; the number of rows it changed. */
export async function execute(db: Db, query: Prisma.Sql): Promise<number> {
  return (await driverAdapterOf(db)).executeRaw(toAdapterQuery(query))
}
