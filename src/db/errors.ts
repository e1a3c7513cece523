// Telling "the database cannot be reached" apart from a bug: the first is a 503, the second a 500.
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024'])
const UNREACHABLE_MESSAGE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Connection terminated|connection timeout|timeout exceeded|Can't reach database|server closed the connection|DatabaseNotReachable|Connection closed|the database system is (starting up|shutting down)/i

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; depth++) {
    const { code, name, message, cause } = current as {
      code?: unknown
      name?: unknown
      message?: unknown
      cause?: unknown
    }
    if (typeof code === 'string' && UNREACHABLE_PRISMA_CODES.has(code)) return true
    if (name === 'PrismaClientInitializationError') return true
    if (typeof message === 'string' && UNREACHABLE_MESSAGE.test(message)) return true
    current = cause
  }
  return false
}
