// Writes or checks migration SQL with Prisma's own schema engine, run from its WASM build
// against an in-memory PGlite shadow database. It stands in for `prisma migrate dev`/`migrate diff`,
// whose native engine cannot be downloaded on machines that reach only the npm registry
// (see docs/prisma-without-engines.md). Dev and CI tool only; the app applies migrations
// with src/db/migrate.ts.
//
//   node scripts/migration-diff.mjs --check          exit 2 when schema.prisma and the migrations differ
//   node scripts/migration-diff.mjs --create <name>  write prisma/migrations/<timestamp>_<name>/migration.sql
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils'
import { PrismaPGlite } from 'pglite-prisma-adapter'

const root = path.resolve(import.meta.dirname, '..')
const migrationsDir = path.join(root, 'prisma/migrations')
const schemaPath = path.join(root, 'prisma/schema.prisma')

async function loadSchemaEngine() {
  // The package imports its .wasm as an ES module, which Node 20 cannot do: instantiate it by hand.
  const require = createRequire(import.meta.url)
  const glueUrl = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')
  const glue = await import(glueUrl)
  const bytes = await readFile(path.join(path.dirname(glueUrl), 'schema_engine_bg.wasm'))
  const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue })
  glue.__wbg_set_wasm(instance.exports)
  instance.exports.__wbindgen_start()
  return glue.SchemaEngine
}

function shadowAwareFactory() {
  const factory = new PrismaPGlite(new PGlite())
  const connectToShadowDb = factory.connectToShadowDb.bind(factory)
  factory.connectToShadowDb = async () => {
    const adapter = await connectToShadowDb()
    // pglite-prisma-adapter 0.7.2 does not await exec(), so a broken migration would look clean.
    adapter.executeScript = async (script) => {
      try {
        await adapter.client.exec(script)
      } catch (error) {
        adapter.onError(error)
      }
    }
    return adapter
  }
  return bindMigrationAwareSqlAdapterFactory(factory)
}

async function listMigrations() {
  const entries = await readdir(migrationsDir, { withFileTypes: true })
  const dirs = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b))
  const lockPath = path.join(migrationsDir, 'migration_lock.toml')
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockPath, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      dirs.map(async (dir) => ({
        path: dir,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok', value: await readFile(path.join(migrationsDir, dir, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  }
}

async function diffMigrationsToSchema() {
  const SchemaEngine = await loadSchemaEngine()
  const engine = await SchemaEngine.new(
    { datamodels: [[schemaPath, await readFile(schemaPath, 'utf8')]] },
    () => {},
    shadowAwareFactory(),
  )
  const result = await engine.diff({
    from: { tag: 'migrations', ...(await listMigrations()) },
    to: { tag: 'schemaDatamodel', files: [{ path: schemaPath, content: await readFile(schemaPath, 'utf8') }] },
    script: true,
    exitCode: null,
    filters: { externalTables: [], externalEnums: [] },
  })
  return (result.stdout ?? '').trim()
}

const isEmpty = (script) => script === '' || script.includes('This is an empty migration.')

const [command, name] = process.argv.slice(2)
const script = await diffMigrationsToSchema()
if (command === '--check') {
  if (isEmpty(script)) {
    console.log('schema.prisma and prisma/migrations agree.')
    process.exit(0)
  }
  console.error(`schema.prisma and prisma/migrations differ; the missing migration would be:\n${script}`)
  process.exit(2)
} else if (command === '--create' && /^[a-z0-9_]+$/.test(name ?? '')) {
  if (isEmpty(script)) {
    console.log('Nothing to migrate.')
    process.exit(0)
  }
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14)
  const dir = path.join(migrationsDir, `${stamp}_${name}`)
  await mkdir(dir, { recursive: true })
  await writeFile(path.join(dir, 'migration.sql'), `${script}\n`)
  console.log(`Wrote ${path.relative(root, dir)}/migration.sql`)
  process.exit(0)
} else {
  console.error('usage: migration-diff.mjs --check | --create <snake_case_name>')
  process.exit(64)
}
