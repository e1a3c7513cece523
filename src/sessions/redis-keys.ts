// The Redis store's key names, all under one prefix (each test database has its own). A session's key holds
// the hash of its id (see ids.ts), never the id itself.
export type RedisKeys = ReturnType<typeof redisKeys>

export function redisKeys(prefix: string) {
  const sessionPrefix = `${prefix}session:`
  const accountPrefix = `${prefix}account:`
  const accountSuffix = ':sessions'
  return {
    sessionPrefix,
    accountPrefix,
    accountSuffix,
    /** A hash: the session's data and times (see redis-store.ts). */
    session: (rowId: string) => `${sessionPrefix}${rowId}`,
    /** A set: the row ids of an account's sessions, for the sessions page and for ending them. */
    account: (userId: number) => `${accountPrefix}${userId}${accountSuffix}`,
    /** A sorted set: the throttle's failures of one key within the window. */
    attempts: (key: string) => `${prefix}attempts:${key}`,
  }
}
