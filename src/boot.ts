// Everything `npm start` does before the app can be built: find or start the database, migrate it,
// seed the catalog once, settle the session secret, and seal two-factor secrets with the current one.
import path from 'node:path'
import type { AppConfig } from './app.ts'
import { seedCatalog } from './catalog/seed.ts'
import { type Config, ConfigError } from './config.ts'
import { openDatabase } from './db/client.ts'
import { ensureDatabase, startEmbeddedPostgres } from './db/embedded.ts'
import { migrate } from './db/migrate.ts'
import { localDataDir, readOrCreateSessionSecret } from './local-data.ts'
import { keysFor } from './plugins/secrets.ts'
import { resealSecrets } from './two-factor/two-factor.ts'

export type Booted = { config: AppConfig; stopDatabase: () => Promise<void> }

export async function boot(config: Config, log: (line: string) => void): Promise<Booted> {
  // First, so that a bad secret file stops the start before a database is started.
  const sessionSecret = config.sessionSecret ?? (await readOrCreateSessionSecret())
  let databaseUrl = config.databaseUrl
  let stopDatabase = async () => {}
  if (databaseUrl === undefined) {
    const embedded = await startEmbeddedPostgres(path.join(localDataDir, 'postgres'), log)
    await ensureDatabase(embedded.url('postgres'), 'cartwheel')
    databaseUrl = embedded.url('cartwheel')
    stopDatabase = embedded.stop
  } else {
    log(`database: ${redactPassword(databaseUrl)}`)
  }
  const applied = await migrate(databaseUrl).catch((error: unknown) => {
    // The first thing that talks to the database: a URL that leads nowhere is named in the one line printed.
    if (config.databaseUrl === undefined) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new ConfigError(`Cannot start: the database at DATABASE_URL (${new URL(databaseUrl).host}): ${reason}`)
  })
  if (applied.length > 0) log(`applied migrations: ${applied.join(', ')}`)
  const db = openDatabase(databaseUrl)
  try {
    const seeded = await seedCatalog(db)
    if (seeded > 0) log(`seeded ${seeded} demo products`)
    const twoFactorKeys = keysFor([sessionSecret, ...config.previousSessionSecrets], 'two-factor secret')
    const resealed = await resealSecrets(db, twoFactorKeys)
    if (resealed > 0) log(`sealed ${resealed} two-factor secrets again with SESSION_SECRET`)
  } finally {
    await db.close()
  }
  return { config: { ...config, databaseUrl, sessionSecret }, stopDatabase }
}

function redactPassword(url: string): string {
  const parsed = new URL(url)
  if (parsed.password) parsed.password = '***'
  return parsed.toString()
}
