// The benchmark's own database: created fresh on TEST_DATABASE_URL's server (or the embedded PostgreSQL
// under .data/bench-postgres), migrated, seeded with the demo catalog and one account, dropped at the end.
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import pg from 'pg'
import { createUser } from '../src/auth/users.ts'
import { seedCatalog } from '../src/catalog/seed.ts'
import { closeDb, createDb } from '../src/db/client.ts'
import { startEmbeddedPostgres } from '../src/db/embedded.ts'
import { migrate } from '../src/db/migrate.ts'
import { localDataDir } from '../src/local-data.ts'

export type BenchDatabase = { url: string; server: string; drop: () => Promise<void> }

export const BENCH_USER = { email: 'bench@example.test', password: 'correct horse battery staple' }

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${database}`
  return parsed.toString()
}

async function onServer(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}

export async function createBenchDatabase(log: (line: string) => void): Promise<BenchDatabase> {
  let serverUrl = process.env.TEST_DATABASE_URL
  let stopEmbedded = async () => {}
  let server = `PostgreSQL at ${serverUrl === undefined ? '' : new URL(serverUrl).host}`
  if (serverUrl === undefined || serverUrl === '') {
    const embedded = await startEmbeddedPostgres(path.join(localDataDir, 'bench-postgres'), log)
    serverUrl = embedded.url('postgres')
    stopEmbedded = embedded.stop
    server = 'embedded PostgreSQL (.data/bench-postgres)'
  }
  const name = `cw_bench_${randomBytes(4).toString('hex')}`
  await onServer(serverUrl, `CREATE DATABASE "${name}"`)
  const url = withDatabase(serverUrl, name)
  await migrate(url)
  const db = createDb(url)
  try {
    await seedCatalog(db)
    await createUser(db, BENCH_USER.email, BENCH_USER.password)
  } finally {
    await closeDb(db)
  }
  return {
    url,
    server,
    drop: async () => {
      await onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)
      await stopEmbedded()
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
