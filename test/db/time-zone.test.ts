// Prisma's pg adapter writes a timestamp as UTC wall time without a zone and reads one by relabelling its
// offset as UTC, so on a database whose time zone is not UTC every time would be off by the offset
// (prisma/orm#26786, #28629). The shop's connections speak UTC whatever the server's setting.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import pg from 'pg'
import { runOnServer } from '../../scripts/postgres-server.ts'
import { openDatabase } from '../../src/db/client.ts'
import { createTestDatabase } from '../helpers/database.ts'

const FAR_FROM_UTC = 'Pacific/Kiritimati' // UTC+14

test('on a database whose time zone is far from UTC, times are written and read as the moments they are', async (t) => {
  const databaseUrl = await createTestDatabase(t)
  const name = new URL(databaseUrl).pathname.slice(1)
  await runOnServer(databaseUrl, `ALTER DATABASE "${name}" SET timezone TO '${FAR_FROM_UTC}'`)
  const db = openDatabase(databaseUrl)
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    // Written by the database's clock (a default of now()), read through Prisma.
    const user = await db.prisma.user.create({ data: { email: 'tz@example.test', passwordHash: 'not a real hash' } })
    assert.ok(Math.abs(user.createdAt.getTime() - Date.now()) < 60_000, `read as ${user.createdAt.toISOString()}`)

    // Written from a JavaScript Date through Prisma, read by a client that is not Prisma's.
    const now = new Date()
    const expiresAt = new Date(now.getTime() + 60_000)
    await db.prisma.session.create({ data: { id: 'tz', data: {}, createdAt: now, lastSeenAt: now, expiresAt } })
    const { rows } = await client.query<{ createdAt: Date }>(`SELECT "createdAt" FROM "Session" WHERE id = 'tz'`)
    assert.equal(rows[0]?.createdAt.getTime(), now.getTime())
  } finally {
    await client.end()
    await db.close()
  }
})
