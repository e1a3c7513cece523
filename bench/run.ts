// `npm run bench [-- --quick] [-- --profile]`: the shop's four scenarios against a bare Fastify route, each
// server in its own process on loopback, autocannon here. See README.md, "Performance".
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { measureArgon2 } from './argon2.ts'
import { buildServers, type ChildServer, startServer } from './child-server.ts'
import { countRowWrites, createBenchDatabase } from './database.ts'
import { runLoad } from './load.ts'
import { formatTable, type Row } from './report.ts'
import { peakMemoryKiB, toMiB, watchRss } from './rss.ts'
import { anonymousScenario, type Scenario, signedInScenarios } from './scenarios.ts'
import { signIn } from './visitor.ts'

const isQuick = process.argv.includes('--quick')
const isProfiled = process.argv.includes('--profile')
const times = isQuick ? { seconds: 2, warmUpSeconds: 1 } : { seconds: 10, warmUpSeconds: 3 }
// PostgreSQL publishes a backend's row counts at the latest 10 s after it goes idle.
const STATS_SETTLE_MS = 11_000

const log = (line: string) => console.error(`bench: ${line}`)
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')

async function measure(server: ChildServer, scenario: Scenario): Promise<Row> {
  const rss = watchRss(server.pid)
  const result = await runLoad(scenario.load, times, server.reset)
  const stats = await server.read()
  return { scenario, result, stats, peakRssMiB: toMiB(rss.stop()) }
}

async function bareRate(bare: ChildServer): Promise<number> {
  const load = { url: bare.url, connections: 32, requests: [{ method: 'GET', path: '/' }] }
  return (await runLoad(load, times, () => {})).rate
}

const startedLoad = loadAverage()
log('compiling the servers')
buildServers()
const database = await createBenchDatabase(log)
const servers: ChildServer[] = []
try {
  const env = { BENCH_DATABASE_URL: database.url, BENCH_SESSION_SECRET: randomBytes(32).toString('base64url') }
  const bare = await startServer('bare', {})
  servers.push(bare)
  const profileArgs = isProfiled ? ['--cpu-prof', '--cpu-prof-dir=tmp/profiles'] : []
  const shop = await startServer('shop', env, profileArgs)
  servers.push(shop)

  log('bare route')
  const bareBefore = await bareRate(bare)

  // S1 runs first, on a database nobody has written to since it was seeded, and its row writes are read
  // once PostgreSQL has published them; raw argon2 is measured in the meantime.
  const anonymous = anonymousScenario(shop.url)
  const writesBefore = await countRowWrites(database.url)
  log(anonymous.title)
  const rows: Row[] = [await measure(shop, anonymous)]
  const s1Ended = Date.now()
  log('raw argon2id verifications')
  const argon2Rate = await measureArgon2(times.seconds, 4)
  await sleep(Math.max(0, s1Ended + STATS_SETTLE_MS - Date.now()))
  const s1Writes = (await countRowWrites(database.url)) - writesBefore

  const who = await signIn(shop.url)
  for (const scenario of signedInScenarios(shop.url, who)) {
    log(scenario.title)
    rows.push(await measure(shop, scenario))
  }
  log('bare route again')
  const bareAfter = await bareRate(bare)
  const bareMean = (bareBefore + bareAfter) / 2
  const shopPeakMiB = toMiB(peakMemoryKiB(shop.pid))

  const ceilings = { bareRate: bareMean, argon2Rate }
  console.log(formatTable(rows, ceilings, s1Writes))
  console.log()
  console.log(
    `- ceilings: bare Fastify route ${bareBefore.toFixed(0)} req/s before, ${bareAfter.toFixed(0)} after (mean ${bareMean.toFixed(0)}); raw argon2id verify ${argon2Rate.toFixed(1)}/s, 4 in flight`,
  )
  console.log(`- rows written during S1 (pg_stat_user_tables): ${s1Writes}`)
  console.log(`- shop's peak RSS over its whole life (VmHWM): ${shopPeakMiB.toFixed(0)} MiB`)
  console.log(
    `- ${isQuick ? 'quick' : 'full'} run: ${times.seconds} s per scenario after ${times.warmUpSeconds} s warm-up; Node ${process.version}; ${database.server}`,
  )
  console.log(`- load average (1/5/15 min) at start ${startedLoad}, at end ${loadAverage()}`)
} finally {
  for (const server of servers) await server.stop()
  await database.drop()
}
