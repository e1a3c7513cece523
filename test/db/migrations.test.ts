import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { test } from 'node:test'
import pg from 'pg'
import { migrate } from '../../src/db/migrate.ts'
import { createTestDatabase } from '../helpers/database.ts'

const SCALARS = new Set(['String', 'Int', 'Boolean', 'DateTime', 'Json', 'Float', 'BigInt', 'Decimal', 'Bytes'])

/** model -> "column:nullable" for every scalar field of schema.prisma. */
async function columnsInSchema(): Promise<Map<string, Set<string>>> {
  const schema = await readFile(new URL('../../prisma/schema.prisma', import.meta.url), 'utf8')
  const models = new Map<string, Set<string>>()
  for (const [, model = '', body = ''] of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const columns = new Set<string>()
    for (const [, name, type, optional] of body.matchAll(/^\s+(\w+)\s+(\w+)(\?)?/gm)) {
      if (SCALARS.has(type ?? '')) columns.add(`${name}:${optional === '?'}`)
    }
    models.set(model, columns)
  }
  return models
}

async function columnsInDatabase(url: string): Promise<Map<string, Set<string>>> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const { rows } = await client.query<{ table_name: string; column_name: string; is_nullable: string }>(
    `SELECT table_name, column_name, is_nullable FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`,
  )
  await client.end()
  const tables = new Map<string, Set<string>>()
  for (const row of rows) {
    const columns = tables.get(row.table_name) ?? new Set<string>()
    columns.add(`${row.column_name}:${row.is_nullable === 'YES'}`)
    tables.set(row.table_name, columns)
  }
  return tables
}

test('the migrations create exactly the columns schema.prisma declares', async (t) => {
  const url = await createTestDatabase(t, { empty: true })
  await migrate(url)
  const expected = await columnsInSchema()
  const actual = await columnsInDatabase(url)
  assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort())
  for (const [model, columns] of expected) {
    assert.deepEqual([...(actual.get(model) ?? [])].sort(), [...columns].sort(), `columns of ${model}`)
  }
})

test('instances migrating an empty database at the same moment apply each migration once', async (t) => {
  const url = await createTestDatabase(t, { empty: true })
  const results = await Promise.all([migrate(url), migrate(url), migrate(url)])
  assert.equal(results.flat().length, results.find((names) => names.length > 0)?.length)
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  const { rows } = await client.query('SELECT migration_name, finished_at, checksum FROM _prisma_migrations')
  await client.end()
  assert.equal(rows.length, results.flat().length)
  for (const row of rows) {
    assert.ok(row.finished_at, 'recorded as finished, as prisma migrate deploy would')
    assert.match(row.checksum, /^[0-9a-f]{64}$/)
  }
  assert.deepEqual(await migrate(url), [], 'nothing is pending afterwards')
})
