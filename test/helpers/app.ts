// Builds the app on a fresh database for a test, with a clock the test can move.
import type { TestContext } from 'node:test'
import type { FastifyInstance } from 'fastify'
import { type AppConfig, type AppOptions, buildApp } from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import type { Database } from '../../src/db/client.ts'
import { createTestDatabase } from './database.ts'
import { deleteTestRedisKeys, storeSettingsFor } from './session-store.ts'
import { Visitor } from './visitor.ts'

type Hooks = Pick<TestContext, 'after'>

export const TEST_SECRET = 'a-test-secret-that-is-at-least-32-characters-long'

/** A clock that stands still until a test moves it. */
export class TestClock {
  #now = Date.parse('2026-01-15T10:00:00Z')
  now = () => new Date(this.#now)
  advance(seconds: number) {
    this.#now += seconds * 1000
  }
}

export type TestApp = { app: FastifyInstance; db: Database; clock: TestClock; config: AppConfig }

export async function startApp(
  t: Hooks,
  options: { env?: Record<string, string>; databaseUrl?: string; mailSender?: AppOptions['mailSender'] } = {},
): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase(t))
  const store = storeSettingsFor(databaseUrl)
  const loaded = loadConfig({ NODE_ENV: 'test', ...store.env, ...options.env })
  const config: AppConfig = { ...loaded, databaseUrl, sessionSecret: loaded.sessionSecret ?? TEST_SECRET }
  const clock = new TestClock()
  const app = await buildApp(config, {
    clock,
    logger: false,
    mailSender: options.mailSender,
    redisKeyPrefix: store.redisKeyPrefix,
  })
  t.after(async () => {
    await app.close()
    if (store.redisKeyPrefix !== undefined) await deleteTestRedisKeys(store.redisKeyPrefix)
  })
  await app.ready()
  return { app, db: app.db, clock, config }
}

/** An app and one visitor with a cookie jar: what most tests need. */
export async function startVisit(t: Hooks, options: Parameters<typeof startApp>[1] = {}) {
  const started = await startApp(t, options)
  return Object.assign(new Visitor(started.app), started)
}
