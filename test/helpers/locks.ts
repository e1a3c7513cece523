// Making a race happen in one order: a test holds a row lock in its own connection, lets the app's request
// queue behind it, does what must happen in between, then lets go.
import pg from 'pg'

export type HeldLock = { release: () => Promise<void> }

/** Locks the rows `sql` selects (FOR UPDATE) in a transaction of its own, until released. */
export async function holdRowLock(databaseUrl: string, sql: string, params: unknown[]): Promise<HeldLock> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  await client.query('BEGIN')
  await client.query(`${sql} FOR UPDATE`, params)
  let released: Promise<void> | undefined
  return {
    // Once; a second call waits for the first.
    release: () => {
      released ??= client.query('COMMIT').then(() => client.end())
      return released
    },
  }
}

/** Returns once `count` statements of this database are blocked on a lock (polling, not sleeping). */
export async function untilSomeoneWaitsForALock(databaseUrl: string, count = 1): Promise<void> {
  const observer = new pg.Client({ connectionString: databaseUrl })
  await observer.connect()
  const waiting = `SELECT count(*)::int AS n FROM pg_stat_activity
    WHERE datname = current_database() AND wait_event_type = 'Lock'`
  try {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      if (((await observer.query<{ n: number }>(waiting)).rows[0]?.n ?? 0) >= count) return
    }
    throw new Error('no statement ever waited for the lock')
  } finally {
    await observer.end()
  }
}
