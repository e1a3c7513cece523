// Whether the app wrote a session, on either store: what a test of lazy activity or a read-only page compares.
import type { Redis } from 'ioredis'
import { redisKeys } from '../../src/sessions/redis-keys.ts'
import { decodeRedisSession } from '../../src/sessions/redis-session.ts'
import { isRedisSuite, redisPrefixOf, type StoreOf, scanKeys, withRedis } from './session-store.ts'

// Redis keeps no version of a key, but every write of a session (re)sets its expiry. Looking at a hash with an
// expiry counts one write in a field of the test's own and drops the expiry, so the next look tells whether the
// app wrote since. The app ignores the field and decides by the times in the hash, never by the key's expiry.
const LOOK = `if redis.call('EXISTS', KEYS[1]) == 0 then return {} end
  if redis.call('PTTL', KEYS[1]) ~= -1 then
    redis.call('HINCRBY', KEYS[1], 'test:writes', 1)
    redis.call('PERSIST', KEYS[1])
  end
  return redis.call('HGETALL', KEYS[1])`

async function lookAtHash(redis: Redis, key: string): Promise<Record<string, string>> {
  const flat = (await redis.eval(LOOK, 1, key)) as string[]
  const fields: Record<string, string> = {}
  for (let i = 0; i < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string
  return fields
}

const versionOf = (fields: Record<string, string>) =>
  JSON.stringify(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b)))

/** What changes with every write of a session (on PostgreSQL the row's transaction id, whatever it wrote). */
export async function sessionVersion(store: StoreOf, id: string): Promise<{ version: string; lastSeenAt: Date }> {
  if (!isRedisSuite) {
    const [row] = await store.db.prisma.$queryRaw<{ version: string; lastSeenAt: Date }[]>`
      SELECT xmin::text AS version, "lastSeenAt" FROM "Session" WHERE id = ${id}`
    if (row === undefined) throw new Error(`no session row ${id}`)
    return row
  }
  const key = redisKeys(redisPrefixOf(store.config.databaseUrl)).session(id)
  const fields = await withRedis((redis) => lookAtHash(redis, key))
  const session = decodeRedisSession(fields)
  if (session === null) throw new Error(`no session hash ${id}`)
  return { version: versionOf(fields), lastSeenAt: session.lastSeenAt }
}

/** Each stored session with its version, and on Redis each guest cart's anchor row's: all change when written. */
export async function sessionVersions(store: StoreOf): Promise<string[]> {
  const rows = await store.db.prisma.$queryRaw<{ id: string; xmin: string }[]>`
    SELECT id, xmin::text FROM "Session" ORDER BY id`
  const versions = rows.map((row) => `${row.id}@${row.xmin}`)
  if (!isRedisSuite) return versions
  const keys = redisKeys(redisPrefixOf(store.config.databaseUrl))
  return withRedis(async (redis) => {
    for (const key of (await scanKeys(redis, `${keys.sessionPrefix}*`)).sort()) {
      versions.push(`${key}@${versionOf(await lookAtHash(redis, key))}`)
    }
    return versions
  })
}
