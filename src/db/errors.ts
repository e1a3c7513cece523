// Telling "the database cannot be reached, or does not answer in time" apart from a bug: the first is a 503,
// the second a 500. Prisma 7 with @prisma/adapter-pg reports an outage in several shapes, each seen in
// test/faults/outage.test.ts:
// - a Prisma error with a P1xxx code (model queries), or P2010 "raw query failed" whose
//   meta.driverAdapterError.cause says `kind: 'ConnectionClosed'` (raw queries, such as the session store's);
// - P2028 when no connection could be had before the transaction's wait ran out;
// - node-postgres's own errors, passed through unwrapped: "Connection terminated unexpectedly", "timeout exceeded
//   when trying to connect" (pool full), "Query read timeout" (query_timeout, src/db/client.ts);
// - PostgreSQL's SQLSTATE, when the server itself gives up: a statement timeout, a shutdown, too many connections.
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024'])
const UNREACHABLE_ADAPTER_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
])
// 08: connection exception; 53300: too many connections; 57014: statement timeout; 57P01-03: shutting down or
// starting up; 25P03: idle-in-transaction timeout.
const UNREACHABLE_SQLSTATE = /^(08...|53300|57014|57P0[123]|25P03)$/
const UNREACHABLE_MESSAGE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|connection timeout|timeout exceeded|Query read timeout|Can't reach database|server (has )?closed the connection|DatabaseNotReachable|Connection closed|the database system is (starting up|shutting down)|Unable to start a transaction in the given time/i

type ErrorLike = { code?: unknown; originalCode?: unknown; kind?: unknown; name?: unknown; message?: unknown }

export function isDatabaseUnavailable(error: unknown): boolean {
  return related(error).some(isUnavailableAlone)
}

function isUnavailableAlone({ code, originalCode, kind, name, message }: ErrorLike): boolean {
  if (typeof code === 'string' && (UNREACHABLE_PRISMA_CODES.has(code) || UNREACHABLE_SQLSTATE.test(code))) return true
  if (typeof originalCode === 'string' && UNREACHABLE_SQLSTATE.test(originalCode)) return true
  if (typeof kind === 'string' && UNREACHABLE_ADAPTER_KINDS.has(kind)) return true
  if (name === 'PrismaClientInitializationError') return true
  return typeof message === 'string' && UNREACHABLE_MESSAGE.test(message)
}

/** The error, its causes, and the driver adapter's error a Prisma error carries in `meta`: a bounded walk. */
function related(error: unknown): ErrorLike[] {
  const found: ErrorLike[] = []
  const pending = [error]
  while (pending.length > 0 && found.length < 10) {
    const current = pending.shift()
    if (!(current instanceof Object)) continue
    found.push(current as ErrorLike)
    const { cause, meta } = current as { cause?: unknown; meta?: { driverAdapterError?: unknown } }
    pending.push(cause, meta?.driverAdapterError)
  }
  return found
}
