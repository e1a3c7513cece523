// Sessions in PostgreSQL, the default: the Session table (postgres-store.ts), the account's sessions for the
// sessions page, and the throttle's LoginFailure rows. Ending sessions is a DELETE in the caller's transaction.
import { THROTTLE_WINDOW_SECONDS } from '../auth/throttle.ts'
import type { SessionLifetimes } from '../config.ts'
import type { Database } from '../db/client.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import type { Clock } from '../shared/clock.ts'
import { postgresAttempts } from './postgres-attempts.ts'
import { PostgresSessionStore, sweepExpiredSessions } from './postgres-store.ts'
import { type AccountSessions, type Ending, isPublicSessionId, type Sessions } from './types.ts'

export function postgresSessions(db: Database, lifetimes: SessionLifetimes, clock: Clock): Sessions {
  return {
    kind: 'postgres',
    store: new PostgresSessionStore(db, lifetimes, clock),
    accounts: postgresAccounts(db, lifetimes, clock),
    attempts: postgresAttempts(db, clock, THROTTLE_WINDOW_SECONDS),
    async sweep() {
      await sweepExpiredSessions(db, lifetimes, clock.now())
    },
    isUnavailable: () => false,
    close: async () => {},
  }
}

const selectedBy = (ending: Ending): Prisma.SessionWhereInput =>
  'all' in ending ? {} : 'only' in ending ? { id: ending.only } : { id: { not: ending.allBut } }

function postgresAccounts(db: Database, lifetimes: SessionLifetimes, clock: Clock): AccountSessions {
  return {
    async list(userId, current) {
      // Ended ones are not shown even before the sweep deletes them.
      const now = clock.now()
      const idleCutoff = new Date(now.getTime() - lifetimes.idleSeconds * 1000)
      const rows = await db.prisma.session.findMany({
        where: { userId, expiresAt: { gt: now }, OR: [{ isRemembered: true }, { lastSeenAt: { gt: idleCutoff } }] },
        orderBy: { createdAt: 'desc' },
        select: { id: true, publicId: true, createdAt: true, lastSeenAt: true, userAgent: true },
      })
      return rows.map(({ id, ...row }) => ({ ...row, isCurrent: id === current }))
    },
    async findOwn(userId, publicId) {
      if (!isPublicSessionId(publicId)) return null
      const row = await db.prisma.session.findFirst({ where: { publicId, userId }, select: { id: true } })
      return row?.id ?? null
    },
    async transaction(work) {
      let ended = 0
      const result = await db.prisma.$transaction(async (tx) =>
        work(tx, async (userId, ending) => {
          // First, and in the same transaction: the account row's lock orders this before or after any sign-in's
          // insert (see postgres-insert.ts), and the new version voids the sign-ins still in flight.
          await tx.user.update({ where: { id: userId }, data: { credentialVersion: { increment: 1 } } })
          ended += (await tx.session.deleteMany({ where: { userId, ...selectedBy(ending) } })).count
        }),
      )
      return { result, ended }
    },
  }
}
