// The benchmark's own database: created fresh on TEST_DATABASE_URL's server (or the embedded PostgreSQL
// under .data/bench-postgres), migrated, seeded with the demo catalog and the accounts, dropped at the end.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { databaseUrlOn, findPostgresServer, runOnServer } from '../scripts/postgres-server.ts'
import { createUser } from '../src/auth/users.ts'
import { seedCatalog } from '../src/catalog/seed.ts'
import { openDatabase } from '../src/db/client.ts'
import { migrate } from '../src/db/migrate.ts'

export type BenchDatabase = { url: string; server: string; drop: () => Promise<void> }

export const BENCH_USER = { email: 'bench@example.test', password: 'correct horse battery staple' }
/** The accounts S4m signs in to in turn, with BENCH_USER's password. */
export const MANY_ACCOUNTS = Array.from({ length: 32 }, (_, index) => `bench-${index + 1}@example.test`)

export async function createBenchDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  const postgres = await findPostgresServer('bench-postgres', log)
  const name = `cw_bench_${randomBytes(4).toString('hex')}`
  await runOnServer(postgres.url, `CREATE DATABASE "${name}"`)
  const url = databaseUrlOn(postgres.url, name)
  await migrate(url)
  const db = openDatabase(url)
  try {
    await seedCatalog(db)
    for (const email of [BENCH_USER.email, ...MANY_ACCOUNTS]) await createUser(db, email, BENCH_USER.password)
  } finally {
    await db.close()
  }
  return {
    url,
    server: postgres.description,
    drop: async () => {
      await runOnServer(postgres.url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await postgres.stop()
    },
  }
}

/**
 * Rows inserted, updated and deleted in the bench database so far. PostgreSQL publishes a backend's
 * counts when it goes idle, at most every second and at the latest 10 s later: read it after a pause.
 */
export async function countRowWrites(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ writes: string }>(
      'SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) AS writes FROM pg_stat_user_tables',
    )
    return Number(rows[0]?.writes ?? 0)
  } finally {
    await client.end()
  }
}
