// The Lua scripts of the Redis store. Each runs atomically in Redis, which is what makes the store safe: a
// read-then-write from Node could bring back a session that a sign-out deleted in between (a late write), or
// let two parallel guesses both pass the throttle. Keys are named in redis-keys.ts; a script that reaches keys
// it was not given (the per-user set of a destroyed session) needs one Redis, not a cluster.
import type { Redis } from 'ioredis'

// The account's set lives at least as long as each of its sessions: every write that sets a session's TTL (in
// ARGV[2]) extends the set's (KEYS[2]) to it, never shortens it. A guest passes its session key as KEYS[2].
const OUTLIVE_SESSION = `if KEYS[2] ~= KEYS[1] and redis.call('PTTL', KEYS[2]) < tonumber(ARGV[2]) then
        redis.call('PEXPIRE', KEYS[2], ARGV[2])
      end`

const SCRIPTS = {
  // Update only: a session that is no longer there stays gone (no resurrection by a late write). Writes only
  // the data keys the request changed (see changes.ts). KEYS: session, account set (the session again for a
  // guest). ARGV: lastSeenAt, ttl ms, the number of changed fields, their field, value pairs, then the fields
  // to delete.
  updateSession: {
    numberOfKeys: 2,
    lua: `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      local changed = tonumber(ARGV[3])
      redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1], unpack(ARGV, 4, 3 + 2 * changed))
      if #ARGV > 3 + 2 * changed then redis.call('HDEL', KEYS[1], unpack(ARGV, 4 + 2 * changed)) end
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      ${OUTLIVE_SESSION}
      return 1`,
  },
  // A new session (or a sign-in's regenerated one, saved twice), and its place in the account's set.
  // KEYS: session, account set (the session again for a guest). ARGV: id, ttl ms, then field, value pairs.
  insertSession: {
    numberOfKeys: 2,
    lua: `redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], unpack(ARGV, 3))
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      if KEYS[2] ~= KEYS[1] then redis.call('SADD', KEYS[2], ARGV[1]) end
      ${OUTLIVE_SESSION}
      return 1`,
  },
  // Lazy activity: only a session that is still there. KEYS: session, account set (the session again for a
  // guest). ARGV: lastSeenAt, ttl ms.
  touchSession: {
    numberOfKeys: 2,
    lua: `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1])
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      ${OUTLIVE_SESSION}
      return 1`,
  },
  // A sign-out: the session and its place in the account's set. Answers whether it anchored a guest cart.
  // KEYS: session. ARGV: id, the account sets' key prefix and suffix.
  destroySession: {
    numberOfKeys: 1,
    lua: `local owner = redis.call('HMGET', KEYS[1], 'userId', 'anchored')
      redis.call('DEL', KEYS[1])
      if owner[1] and owner[1] ~= '' then redis.call('SREM', ARGV[2] .. owner[1] .. ARGV[3], ARGV[1]) end
      return owner[2] == '1' and 1 or 0`,
  },
  // Ends an account's sessions ('all', 'allBut' or 'only' the given id); the ones that stay take the account's
  // new credential version, so that only a sign-in still in flight is left behind it (and ends at its load).
  // KEYS: account set. ARGV: session key prefix, mode, id, new credential version. Answers how many ended.
  endSessions: {
    numberOfKeys: 1,
    lua: `local ended = 0
      for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
        local key = ARGV[1] .. id
        local ends = ARGV[2] == 'all' or (ARGV[2] == 'only' and id == ARGV[3]) or (ARGV[2] == 'allBut' and id ~= ARGV[3])
        if ends then
          ended = ended + redis.call('DEL', key)
          redis.call('SREM', KEYS[1], id)
        elseif redis.call('EXISTS', key) == 1 then
          redis.call('HSET', key, 'credentialVersion', ARGV[4])
        else
          redis.call('SREM', KEYS[1], id)
        end
      end
      return ended`,
  },
  // The throttle: per key, a sorted set of the window's failures (score: when). Blocked while any key holds
  // its limit; else the attempt is counted on every key. KEYS: counters. ARGV: now ms, window ms, member,
  // then each key's limit. Answers {1, 0} (reserved) or {0, the limit-th newest failure's time}.
  reserveAttempt: {
    numberOfKeys: -1,
    lua: `local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
      local blockedSince = false
      for i, key in ipairs(KEYS) do
        redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
        local limit = tonumber(ARGV[3 + i])
        local counted = redis.call('ZREVRANGE', key, limit - 1, limit - 1, 'WITHSCORES')
        if counted[2] then
          local since = tonumber(counted[2])
          if not blockedSince or since > blockedSince then blockedSince = since end
        end
      end
      if blockedSince then return {0, tostring(blockedSince)} end
      for _, key in ipairs(KEYS) do
        redis.call('ZADD', key, now, ARGV[3])
        redis.call('PEXPIRE', key, window)
      end
      return {1, '0'}`,
  },
} as const

type ScriptName = keyof typeof SCRIPTS
type Arg = string | number

export type Scripts = Record<ScriptName, (keys: string[], args: Arg[]) => Promise<unknown>>

/** The scripts, sent by SHA (EVALSHA), and loaded again by ioredis after a Redis restart. */
export function defineScripts(redis: Redis): Scripts {
  const scripts = {} as Scripts
  for (const [name, { numberOfKeys, lua }] of Object.entries(SCRIPTS) as [ScriptName, (typeof SCRIPTS)[ScriptName]][]) {
    redis.defineCommand(name, { numberOfKeys: numberOfKeys === -1 ? undefined : numberOfKeys, lua })
    const command = (redis as unknown as Record<string, (...args: Arg[]) => Promise<unknown>>)[name]
    scripts[name] = (keys, args) =>
      numberOfKeys === -1
        ? (command as (...args: Arg[]) => Promise<unknown>).call(redis, keys.length, ...keys, ...args)
        : (command as (...args: Arg[]) => Promise<unknown>).call(redis, ...keys, ...args)
  }
  return scripts
}
