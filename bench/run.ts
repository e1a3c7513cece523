// `npm run bench [-- --quick] [-- --profile] [-- --store redis] [-- --only S2,S3]`: the shop's four scenarios against a bare Fastify route, each
// server in its own process on loopback, autocannon here. See docs/performance.md.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { deleteRedisKeys } from '../scripts/redis-keys.ts'
import { measureArgon2 } from './argon2.ts'
import { buildServers, type ChildServer, startServer } from './child-server.ts'
import { countRowWrites, createBenchDatabase } from './database.ts'
import { runLoad } from './load.ts'
import { type Ceilings, formatMemory, formatSummary, formatTable, type Row } from './report.ts'
import { peakMemoryKiB, toMiB, watchRss } from './rss.ts'
import { anonymousScenario, type Scenario, signedInScenarios } from './scenarios.ts'
import { signIn } from './visitor.ts'

const isQuick = process.argv.includes('--quick')
const isProfiled = process.argv.includes('--profile')
const argumentAfter = (flag: string) =>
  process.argv.includes(flag) ? process.argv[process.argv.indexOf(flag) + 1] : undefined
// `--store redis`: the shop keeps its sessions in the Redis at BENCH_REDIS_URL (default: this machine's), under
// a key prefix of this run's own, deleted at the end.
const store = argumentAfter('--store') === 'redis' ? 'redis' : 'postgres'
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'
const redisPrefix = `bench:${randomBytes(4).toString('hex')}:`
// `--only S2`: just those scenarios (with both ceilings), say for a profile of one.
const only = argumentAfter('--only')?.split(',')
const isWanted = (scenario: Scenario) => only === undefined || only.includes(scenario.id)
const times = isQuick ? { seconds: 2, warmUpSeconds: 1 } : { seconds: 10, warmUpSeconds: 3 }
// PostgreSQL publishes a backend's row counts at the latest 10 s after it goes idle.
const STATS_SETTLE_MS = 11_000
const SIGN_IN_CONCURRENCY = 4
const IDLE_SETTLE_MS = 2000

const log = (line: string) => console.error(`bench: ${line}`)
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')

async function measure(server: ChildServer, scenario: Scenario): Promise<Row> {
  log(`${scenario.id} ${scenario.title}`)
  const rss = watchRss(server.pid)
  const result = await runLoad(scenario.load, times, server.reset)
  const stats = await server.read()
  return { scenario, result, stats, peakRssMiB: toMiB(rss.stop()) }
}

const bareRoute = (bare: ChildServer): Scenario => ({
  id: 'bare',
  title: 'GET / of a bare Fastify route',
  load: { url: bare.url, connections: 32, requests: [{ method: 'GET', path: '/' }] },
  minRatio: 1,
  ceiling: 'bare',
  maxP99Ms: null,
})

const argon2 = () => {
  log('raw argon2id verifications')
  return measureArgon2(times.seconds, SIGN_IN_CONCURRENCY)
}

const startLoad = loadAverage()
log('compiling the servers')
buildServers()
const database = await createBenchDatabase(log)
const servers: ChildServer[] = []
try {
  const env = {
    BENCH_DATABASE_URL: database.url,
    BENCH_SESSION_SECRET: randomBytes(32).toString('base64url'),
    ...(store === 'redis' ? { BENCH_REDIS_URL: redisUrl, BENCH_REDIS_PREFIX: redisPrefix } : {}),
  }
  const bare = await startServer('bare', {})
  servers.push(bare)
  const shop = await startServer('shop', env, isProfiled ? ['--cpu-prof', '--cpu-prof-dir=tmp/profiles'] : [])
  servers.push(shop)
  // Start-up's leftovers are collectable garbage by now, or kept: what the shop holds before its first request.
  await sleep(IDLE_SETTLE_MS)
  const idle = (await shop.read()).memory

  // Each ceiling is measured twice, around the scenarios, so that a change in the machine's load shows.
  const bareBefore = await measure(bare, bareRoute(bare))
  // S1 runs on a database nobody has written to since it was seeded; its row writes are read once
  // PostgreSQL has published them, and raw argon2 is measured in the meantime.
  const writesBefore = await countRowWrites(database.url)
  const s1 = anonymousScenario(shop.url)
  const rows = isWanted(s1) ? [await measure(shop, s1)] : []
  const s1End = Date.now()
  const argon2Before = await argon2()
  await sleep(Math.max(0, s1End + STATS_SETTLE_MS - Date.now()))
  const s1Writes = (await countRowWrites(database.url)) - writesBefore

  for (const scenario of signedInScenarios(shop.url, await signIn(shop.url)).filter(isWanted))
    rows.push(await measure(shop, scenario))
  const argon2After = await argon2()
  const bareAfter = await measure(bare, bareRoute(bare))

  const ceilings: Ceilings = { bare: [bareBefore, bareAfter], argon2: [argon2Before, argon2After] }
  console.log(formatTable(rows, ceilings, s1Writes))
  console.log()
  console.log(formatMemory(idle, rows))
  console.log()
  console.log(
    formatSummary({
      ceilings,
      s1Writes,
      shopPeakMiB: toMiB(peakMemoryKiB(shop.pid)),
      run: `${isQuick ? 'quick' : 'full'} run: ${times.seconds} s per scenario after ${times.warmUpSeconds} s of warm-up; Node ${process.version}; ${database.server}; sessions in ${store === 'redis' ? `Redis (${redisUrl})` : 'PostgreSQL'}`,
      loadAverages: [startLoad, loadAverage()],
    }),
  )
} finally {
  for (const server of servers) await server.stop()
  await database.drop()
  if (store === 'redis') await deleteRedisKeys(redisUrl, redisPrefix)
}
