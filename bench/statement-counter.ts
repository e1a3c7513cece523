// Counts the SQL statements this process sends through node-postgres (Prisma's pg adapter uses it too),
// so the benchmark can report round trips per request and writes without trusting the code under test.
import pg from 'pg'

export type StatementCounts = { statements: number; writes: number }

const WRITE = /\b(INSERT\s+INTO|UPDATE\s+"|DELETE\s+FROM|DO\s+UPDATE)\b/i

export function countStatements(): { read: () => StatementCounts; reset: () => void } {
  const counts: StatementCounts = { statements: 0, writes: 0 }
  const query = pg.Client.prototype.query as (...args: unknown[]) => unknown
  pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
    const [config] = args
    const text = typeof config === 'string' ? config : ((config as { text?: string } | undefined)?.text ?? '')
    counts.statements++
    if (WRITE.test(text)) counts.writes++
    return query.apply(this, args)
  } as typeof pg.Client.prototype.query
  return {
    read: () => ({ ...counts }),
    reset: () => {
      counts.statements = 0
      counts.writes = 0
    },
  }
}
