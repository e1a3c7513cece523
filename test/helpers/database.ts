// A fresh database for one test file, cloned from the template that scripts/run-tests.ts migrated and seeded.
import { randomBytes } from 'node:crypto'
import type { TestContext } from 'node:test'
import { databaseUrlOn, runOnServer } from '../../scripts/postgres-server.ts'

type Hooks = Pick<TestContext, 'after'>

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL
  if (!url || !process.env.CARTWHEEL_TEST_TEMPLATE) {
    throw new Error('Run the suite with `npm test` (scripts/run-tests.ts prepares the databases).')
  }
  return url
}

export function databaseUrl(database: string): string {
  return databaseUrlOn(serverUrl(), database)
}

function onServer(sql: string): Promise<void> {
  return runOnServer(serverUrl(), sql)
}

/** Creates a database from the template (or an empty one) and drops it when the test or file ends. */
export async function createTestDatabase(t: Hooks, options: { empty?: boolean } = {}): Promise<string> {
  const name = `cw_test_${randomBytes(6).toString('hex')}`
  const template = options.empty ? 'template0' : process.env.CARTWHEEL_TEST_TEMPLATE
  await onServer(`CREATE DATABASE "${name}" TEMPLATE "${template}"`)
  t.after(() => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))
  return databaseUrl(name)
}
