// Deletes what has expired (sessions with their guest carts, old sign-in failures, security events past the
// activity page's 90 days) once a minute, in the background: requests never wait for it, and every load
// checks expiry itself anyway.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { sweepOldSecurityEvents } from '../account/activity.ts'
import { sweepLoginFailures } from '../auth/throttle.ts'
import type { SessionLifetimes } from '../config.ts'
import { sweepExpiredSessions } from './session-store.ts'

const SWEEP_INTERVAL_MS = 60_000

export const housekeepingPlugin = fp(
  async (app: FastifyInstance, options: { lifetimes: SessionLifetimes }) => {
    const sweep = async () => {
      await sweepExpiredSessions(app.db, options.lifetimes, app.clock.now())
      await sweepLoginFailures(app.db, app.clock)
      await sweepOldSecurityEvents(app.db, app.clock.now())
    }
    const timer = setInterval(() => {
      sweep().catch((error) => app.log.warn({ err: error }, 'housekeeping sweep failed'))
    }, SWEEP_INTERVAL_MS)
    timer.unref()
    app.addHook('onClose', async () => clearInterval(timer))
  },
  { name: 'housekeeping', dependencies: ['db'] },
)
