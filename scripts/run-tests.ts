// The fast suite's runner: finds a PostgreSQL (TEST_DATABASE_URL, or the embedded one under .data/),
// migrates and seeds a template database once, then runs every test file with node:test. Each file
// clones the template (CREATE DATABASE ... TEMPLATE), so files run in parallel on their own rows.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { seedCatalog } from '../src/catalog/seed.ts'
import { openDatabase } from '../src/db/client.ts'
import { migrate } from '../src/db/migrate.ts'
import { databaseUrlOn, findPostgresServer, runOnServer } from './postgres-server.ts'
import { requireRedis } from './redis-keys.ts'

const root = path.resolve(import.meta.dirname, '..')
const suites = process.argv.slice(2)
// Folders or single test files; the default is every test but the browser suite's.
const dirs = suites.length > 0 ? suites : ['test']

async function findTestFiles(dir: string): Promise<string[]> {
  if (dir.endsWith('.test.ts')) return [dir]
  // A folder a script names before anyone has written its tests (test:redis names test/sessions) has none yet.
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
    .filter((file) => suites.length > 0 || !file.startsWith(path.join('test', 'browser')))
    .sort()
}

if (process.env.TEST_SESSION_STORE === 'redis') await requireRedis()

const server = await findPostgresServer('test-postgres', console.log)
const serverUrl = server.url

// A template per run, so that several runs against one server do not disturb each other.
const template = `cw_template_${randomBytes(4).toString('hex')}`
let exitCode = 1
try {
  await runOnServer(serverUrl, `CREATE DATABASE "${template}"`)
  const templateUrl = databaseUrlOn(serverUrl, template)
  await migrate(templateUrl)
  const db = openDatabase(templateUrl)
  await seedCatalog(db)
  await db.close()

  const files = (await Promise.all(dirs.map(findTestFiles))).flat()
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=4', ...files], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, TEST_DATABASE_URL: serverUrl, CARTWHEEL_TEST_TEMPLATE: template },
  })
  exitCode = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)))
} finally {
  await runOnServer(serverUrl, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`)
  await server.stop()
}
process.exit(exitCode)
