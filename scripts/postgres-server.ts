// A PostgreSQL server as the suite, the benchmark and the screenshots use it: the one TEST_DATABASE_URL names,
// or an embedded cluster of their own under .data/; and the few statements they run on it outside any database.
import path from 'node:path'
import pg from 'pg'
import { startEmbeddedPostgres } from '../src/db/embedded.ts'
import { localDataDir } from '../src/local-data.ts'

export type PostgresServer = {
  /** A URL of the server's `postgres` database. */
  url: string
  /** Where it is, for a log line. */
  description: string
  stop: () => Promise<void>
}

/** TEST_DATABASE_URL's server when it is set, else an embedded cluster in .data/<embeddedDir>. */
export async function findPostgresServer(embeddedDir: string, log: (line: string) => void): Promise<PostgresServer> {
  const url = process.env.TEST_DATABASE_URL
  if (url !== undefined && url !== '') {
    return { url, description: `PostgreSQL at ${new URL(url).host}`, stop: async () => {} }
  }
  const embedded = await startEmbeddedPostgres(path.join(localDataDir, embeddedDir), log)
  return {
    url: embedded.url('postgres'),
    description: `embedded PostgreSQL (.data/${embeddedDir})`,
    stop: embedded.stop,
  }
}

/** The URL of another database on the same server. */
export function databaseUrlOn(serverUrl: string, database: string): string {
  const url = new URL(serverUrl)
  url.pathname = `/${database}`
  return url.toString()
}

/** Runs one statement (CREATE or DROP DATABASE) on its own connection. */
export async function runOnServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    await client.query(sql)
  } finally {
    await client.end()
  }
}
