// GET /healthz for load balancers and compose: 200 when the database answers, 503 otherwise, and 503 from the
// moment the instance is stopping, so that balancers take it out while it still serves (src/drain.ts).
import type { FastifyInstance } from 'fastify'

const DATABASE_CHECK_TIMEOUT_MS = 2000

export async function healthRoutes(app: FastifyInstance) {
  app.get('/healthz', async (request, reply) => {
    if (app.isDraining) return reply.code(503).send({ status: 'stopping' })
    try {
      await withTimeout(app.db.prisma.$queryRaw`SELECT 1`, DATABASE_CHECK_TIMEOUT_MS)
      return { status: 'ok' }
    } catch (error) {
      request.log.warn({ err: error }, 'health check: database unavailable')
      return reply.code(503).send({ status: 'unavailable' })
    }
  })
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('database check timed out')), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
