// `npx tsx bench/statement-paths.ts`: the CPU one statement costs this process by each path to PostgreSQL: the
// Prisma client's $queryRaw, Prisma's pg adapter directly (src/db/sql.ts), and node-postgres alone. The
// shop sends its hottest statements by the second path; this is the measurement behind that choice.
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { findPostgresServer } from '../scripts/postgres-server.ts'
import { PrismaClient } from '../src/generated/prisma/client.ts'

const STATEMENTS = 4000
const IN_FLIGHT = 4

const server = await findPostgresServer('bench-postgres', console.error)
const pool = new pg.Pool({ connectionString: server.url, max: IN_FLIGHT })
const factory = new PrismaPg(pool)
const client = new PrismaClient({ adapter: factory })
const adapter = await factory.connect()
const sql = 'SELECT $1::text AS id, now() AS at, 1::int AS n'
const untyped = { scalarType: 'unknown', arity: 'scalar' } as const

const paths: [string, () => Promise<unknown>][] = [
  ['Prisma client ($queryRaw)', () => client.$queryRaw`SELECT ${'abc'}::text AS id, now() AS at, 1::int AS n`],
  ['Prisma pg adapter', () => adapter.queryRaw({ sql, args: ['abc'], argTypes: [untyped] })],
  ['node-postgres', () => pool.query(sql, ['abc'])],
]

async function cpuMicrosPerStatement(send: () => Promise<unknown>): Promise<number> {
  const batch = () => Promise.all(Array.from({ length: IN_FLIGHT }, send))
  for (let i = 0; i < STATEMENTS / IN_FLIGHT / 4; i++) await batch() // warm-up: JIT, connections
  const start = process.cpuUsage()
  for (let i = 0; i < STATEMENTS / IN_FLIGHT; i++) await batch()
  const used = process.cpuUsage(start)
  return (used.user + used.system) / STATEMENTS
}

try {
  console.log('| path | CPU µs per statement (two rounds) |\n| --- | ---: |')
  const results = new Map<string, number[]>()
  for (let round = 0; round < 2; round++) {
    for (const [name, send] of paths)
      results.set(name, [...(results.get(name) ?? []), await cpuMicrosPerStatement(send)])
  }
  for (const [name, micros] of results) console.log(`| ${name} | ${micros.map((m) => m.toFixed(0)).join(' / ')} |`)
} finally {
  await client.$disconnect()
  await pool.end()
  await server.stop()
}
