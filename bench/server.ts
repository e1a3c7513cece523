// One server under test, in its own process so the load generator never shares its event loop:
//   bare  a Fastify route answering a short string: the ceiling for any page
//   shop  the shop from buildApp, on BENCH_DATABASE_URL, with the logger off
// It tells the parent its port over IPC and answers "reset" and "read" with its own measurements.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import Fastify, { type FastifyInstance } from 'fastify'
import { countStatements } from './statement-counter.ts'

export type ServerStats = {
  requests: number
  statements: number
  writes: number
  /** The server's own CPU time (user + system): unlike rates, it hardly moves with the machine's other load. */
  cpuMicros: number
  loopDelayMaxMs: number
  memory: NodeJS.MemoryUsage
}
export type ToServer = { type: 'reset' | 'read' | 'stop' }
export type FromServer = { type: 'listening'; port: number } | ({ type: 'stats' } & ServerStats)

const mode = process.argv[2]
const counter = countStatements()
const loopDelay = monitorEventLoopDelay({ resolution: 5 })
loopDelay.enable()

async function buildShop(): Promise<FastifyInstance> {
  const { buildApp } = await import('../src/app.ts')
  const { loadConfig } = await import('../src/config.ts')
  const databaseUrl = process.env.BENCH_DATABASE_URL
  const sessionSecret = process.env.BENCH_SESSION_SECRET
  if (!databaseUrl || !sessionSecret)
    throw new Error('BENCH_DATABASE_URL and BENCH_SESSION_SECRET are set by bench/run.ts')
  // NODE_ENV=test: production's settings (compiled templates cached, no pretty logs) without the Secure
  // cookie, which a browser would not send back over plain http. The per-request log line is off.
  // `--store redis`: bench/run.ts sets the Redis URL and a key prefix of this run's own.
  const redisEnv = process.env.BENCH_REDIS_URL ? { SESSION_REDIS_URL: process.env.BENCH_REDIS_URL } : {}
  const config = { ...loadConfig({ NODE_ENV: 'test', ...redisEnv }), databaseUrl, sessionSecret }
  return buildApp(config, { logger: false, redisKeyPrefix: process.env.BENCH_REDIS_PREFIX })
}

function buildBare(): FastifyInstance {
  const app = Fastify({ logger: false })
  app.get('/', async () => 'Cartwheel')
  return app
}

const send = (message: FromServer) => process.send?.(message)

const app = mode === 'shop' ? await buildShop() : mode === 'bare' ? buildBare() : null
if (app === null) throw new Error(`unknown mode ${mode}: bare or shop`)
await app.listen({ port: 0, host: '127.0.0.1' })
let requests = 0
let cpuAtReset = process.cpuUsage()
app.server.on('request', () => requests++)
const address = app.server.address()
send({ type: 'listening', port: typeof address === 'object' && address !== null ? address.port : 0 })

// The parent is gone (it crashed or was interrupted): nobody will ever stop this server.
process.on('disconnect', () => process.exit(1))
process.on('message', async (message: ToServer) => {
  if (message.type === 'reset') {
    requests = 0
    cpuAtReset = process.cpuUsage()
    counter.reset()
    loopDelay.reset()
  } else if (message.type === 'read') {
    const cpu = process.cpuUsage(cpuAtReset)
    const cpuMicros = cpu.user + cpu.system
    send({
      type: 'stats',
      requests,
      ...counter.read(),
      cpuMicros,
      loopDelayMaxMs: loopDelay.max / 1e6,
      memory: process.memoryUsage(),
    })
  } else {
    await app.close()
    // A normal exit, so that --cpu-prof writes its profile.
    process.exit(0)
  }
})
