// One log line per request ("GET /cart 200 3.1ms") instead of Fastify's two (incoming and completed).
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify'

export class OneLinePerRequest extends LogController {
  override incomingRequest() {}

  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    const line = `${request.method} ${request.url} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms`
    if (error) reply.log.error({ err: error }, line)
    else reply.log.info(line)
  }
}
