// What the Redis store's own tests share: the store's ioredis connection (to read keys as Redis holds them),
// the key names of a test database, and a gate that holds one write to a session key until the test lets it go,
// so that a race between a save and a sign-out happens in one order every time.
import { type TestContext, test } from 'node:test'
import type { FastifyInstance } from 'fastify'
import type { Redis } from 'ioredis'
import { redisKeys } from '../../src/sessions/redis-keys.ts'
import { createFileDatabase } from '../helpers/accounts.ts'
import { isRedisSuite, redisPrefixOf } from '../helpers/session-store.ts'

/**
 * A test of the Redis store: skipped, with the reason shown, when the suite runs on PostgreSQL. A `todo` test
 * runs and reports, but does not fail the suite: a known bug, written up where it is declared.
 */
export const redisTest = (name: string, fn: (t: TestContext) => Promise<void>, options: { todo?: string } = {}) =>
  test(name, { ...options, skip: isRedisSuite ? false : 'the Redis store only (TEST_SESSION_STORE=redis)' }, fn)

/** The file's database; none is made (and a name that is never opened stands in) when the tests are skipped. */
export function fileDatabaseOnRedis(): Promise<string> {
  return isRedisSuite ? createFileDatabase() : Promise.resolve('postgresql://127.0.0.1/skipped')
}

/** The ioredis connection of the app's session store (a private field: tests read through the store's own). */
export function redisOf(app: FastifyInstance): Redis {
  return (app.sessions.store as unknown as { redis: Redis }).redis
}

/** The store's key names for the app's test database. */
export const keysOf = (databaseUrl: string) => redisKeys(redisPrefixOf(databaseUrl))

// The commands that can write a session's hash: the store's scripts, and what a read-then-write store would send.
const WRITES = new Set(['evalsha', 'eval', 'hset', 'hmset', 'pexpire', 'expire'])

export type HeldWrite = { reached: Promise<void>; release: () => void }

/**
 * Holds the next command that writes `key` before it is sent, until `release`: everything else (a sign-out's
 * destroy included) goes through meanwhile. `reached` resolves once the write is being held.
 */
export function holdNextWrite(redis: Redis, key: string): HeldWrite {
  const send = redis.sendCommand.bind(redis)
  let reach = () => {}
  let release = () => {}
  const reached = new Promise<void>((resolve) => {
    reach = resolve
  })
  const released = new Promise<void>((resolve) => {
    release = resolve
  })
  redis.sendCommand = ((command: { name: string; args: unknown[] }) => {
    if (!WRITES.has(command.name.toLowerCase()) || !command.args.map(String).includes(key))
      return send(command as never)
    redis.sendCommand = send
    reach()
    return released.then(() => send(command as never))
  }) as Redis['sendCommand']
  return { reached, release }
}
