// Deletes what has expired (sessions with their guest carts, old sign-in and sign-up counts, security events
// past the activity page's 90 days) once a minute, in the background: requests never wait for it, and every
// load checks expiry itself anyway.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { sweepOldSecurityEvents } from '../account/activity.ts'
import { THROTTLE_WINDOW_SECONDS } from '../auth/throttle.ts'
import { sweepLoginFailures } from '../sessions/postgres-attempts.ts'

const SWEEP_INTERVAL_MS = 60_000

export const housekeepingPlugin = fp(
  async (app: FastifyInstance) => {
    const sweep = async () => {
      await app.sessions.sweep()
      // LoginFailure rows: the sign-up throttle's whichever store holds the sessions (Redis' counters expire).
      await sweepLoginFailures(app.db, app.clock, THROTTLE_WINDOW_SECONDS)
      await sweepOldSecurityEvents(app.db, app.clock.now())
    }
    const timer = setInterval(() => {
      sweep().catch((error) => app.log.warn({ err: error }, 'housekeeping sweep failed'))
    }, SWEEP_INTERVAL_MS)
    timer.unref()
    app.addHook('onClose', async () => clearInterval(timer))
  },
  { name: 'housekeeping', dependencies: ['db', 'sessions'] },
)
