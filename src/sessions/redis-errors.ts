// Telling "Redis cannot be reached, or does not answer in time" apart from a bug, as db/errors.ts does for
// PostgreSQL. Kept apart from redis-client.ts so that the error handler can ask without loading ioredis.

/** Whether `error` is Redis being unreachable (or too slow), rather than a bug: the request gets a 503. */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: string }).code
  return (
    error.name === 'MaxRetriesPerRequestError' ||
    /Connection is closed|Stream isn't writeable|enableOfflineQueue|Command timed out|LOADING/.test(error.message) ||
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'ETIMEDOUT'
  )
}
