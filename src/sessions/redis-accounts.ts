// An account's sessions in Redis, through the per-account set of row ids that the insert script keeps: the
// sessions page lists them and ends them without scanning the key space. Members whose session has expired
// are dropped from the set as they are met.
import type { Redis } from 'ioredis'
import type { SessionLifetimes } from '../config.ts'
import type { Database } from '../db/client.ts'
import type { Clock } from '../shared/clock.ts'
import { hasEnded } from './lifetimes.ts'
import type { RedisKeys } from './redis-keys.ts'
import type { Scripts } from './redis-scripts.ts'
import { decodeRedisSession, type RedisSession } from './redis-session.ts'
import { type AccountSessions, type Ending, isPublicSessionId, type SessionSummary } from './types.ts'

type Member = { id: string; session: RedisSession }

const modeOf = (ending: Ending): [mode: string, id: string] =>
  'all' in ending ? ['all', ''] : 'only' in ending ? ['only', ending.only] : ['allBut', ending.allBut]

export function redisAccounts(
  redis: Redis,
  scripts: Scripts,
  keys: RedisKeys,
  db: Database,
  lifetimes: SessionLifetimes,
  clock: Clock,
): AccountSessions {
  /** The account's sessions that are still there, in one round trip after the set's. */
  async function membersOf(userId: number): Promise<Member[]> {
    const ids = await redis.smembers(keys.account(userId))
    if (ids.length === 0) return []
    const pipeline = redis.pipeline()
    for (const id of ids) pipeline.hgetall(keys.session(id))
    const answers = (await pipeline.exec()) ?? []
    const members: Member[] = []
    const gone: string[] = []
    ids.forEach((id, index) => {
      const failure = answers[index]?.[0]
      if (failure) throw failure
      const session = decodeRedisSession((answers[index]?.[1] ?? {}) as Record<string, string>)
      if (session === null) gone.push(id)
      else members.push({ id, session })
    })
    if (gone.length > 0) await redis.srem(keys.account(userId), ...gone)
    return members
  }

  return {
    async list(userId, current) {
      const now = clock.now()
      const members = await membersOf(userId)
      // A session behind the current one's credential version ends at its next load: it is not shown.
      const version = members.find(({ id }) => id === current)?.session.credentialVersion ?? 0
      return members
        .filter(({ session }) => !hasEnded(session, lifetimes, now) && session.credentialVersion >= version)
        .sort((a, b) => b.session.createdAt.getTime() - a.session.createdAt.getTime())
        .map(
          ({ id, session }): SessionSummary => ({
            publicId: session.publicId,
            createdAt: session.createdAt,
            lastSeenAt: session.lastSeenAt,
            userAgent: session.userAgent,
            isCurrent: id === current,
          }),
        )
    },
    async findOwn(userId, publicId) {
      if (!isPublicSessionId(publicId)) return null
      const members = await membersOf(userId)
      return members.find(({ session }) => session.publicId === publicId.toLowerCase())?.id ?? null
    },
    async transaction(work) {
      let ended = 0
      const result = await db.prisma.$transaction(async (tx) =>
        work(tx, async (userId, ending) => {
          // The new credential version first: its row lock holds back any sign-in's read of the account until
          // this commits. Then the sessions end in Redis, inside the transaction, so that a Redis that cannot be
          // reached rolls the whole change back (a 503, nothing changed). A sign-in in flight that stores its
          // session now is left behind the new version, and ends at its first load (redis-store.ts).
          const { credentialVersion } = await tx.user.update({
            where: { id: userId },
            data: { credentialVersion: { increment: 1 } },
            select: { credentialVersion: true },
          })
          const [mode, id] = modeOf(ending)
          const count = await scripts.endSessions(
            [keys.account(userId)],
            [keys.sessionPrefix, mode, id, credentialVersion],
          )
          ended += Number(count)
        }),
      )
      return { result, ended }
    },
  }
}
