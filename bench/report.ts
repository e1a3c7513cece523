// The markdown table and notes `npm run bench` prints.
import type { Argon2Ceiling } from './argon2.ts'
import type { LoadResult } from './load.ts'
import type { Scenario } from './scenarios.ts'
import type { ServerStats } from './server.ts'

export type Row = { scenario: Scenario; result: LoadResult; stats: ServerStats; peakRssMiB: number }
export type Ceilings = { bare: [Row, Row]; argon2: [Argon2Ceiling, Argon2Ceiling] }

export const MAX_RSS_MIB = 150
export const MAX_IDLE_RSS_MIB = 100

const fixed = (value: number, digits: number) => value.toFixed(digits)
const times = (value: number) => `${value >= 0.1 ? value.toFixed(2) : value.toFixed(3)}×`
const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length
const perRequest = (row: Row, count: number) => (row.stats.requests === 0 ? 0 : count / row.stats.requests)
const cpuPerRequest = (row: Row) => perRequest(row, row.stats.cpuMicros)

/** The scenario's rate as a share of its ceiling's, both measured in this run. */
function ratioOf(row: Row, ceilings: Ceilings): number {
  const ceiling =
    row.scenario.ceiling === 'argon2'
      ? mean(ceilings.argon2.map((argon2) => argon2.rate))
      : mean(ceilings.bare.map((bare) => bare.result.rate))
  return row.result.rate / ceiling
}

/** The same share from CPU time per request, which hardly moves with the machine's other load. */
function cpuRatioOf(row: Row, ceilings: Ceilings): number {
  const ceiling =
    row.scenario.ceiling === 'argon2'
      ? mean(ceilings.argon2.map((argon2) => argon2.cpuMicrosPerVerify))
      : mean(ceilings.bare.map(cpuPerRequest))
  return ceiling / cpuPerRequest(row)
}

function meetsTarget(row: Row, ceilings: Ceilings, s1Writes: number): boolean {
  const { scenario, result } = row
  return (
    ratioOf(row, ceilings) >= scenario.minRatio &&
    (scenario.maxP99Ms === null || result.p99Ms <= scenario.maxP99Ms) &&
    result.rejected === 0 &&
    row.peakRssMiB <= MAX_RSS_MIB &&
    (scenario.id !== 'S1' || s1Writes === 0)
  )
}

export function formatTable(rows: Row[], ceilings: Ceilings, s1Writes: number): string {
  const lines = [
    '| scenario | req/s | ratio (target) | p50 ms | p99 ms | not 2xx/3xx | queries/req | writes/req | server CPU µs/req | CPU ratio | loop delay max ms | peak RSS MiB | met |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ]
  for (const row of rows) {
    const { scenario, result, stats } = row
    const p99 = scenario.maxP99Ms === null ? '' : `, p99 ≤ ${scenario.maxP99Ms}`
    lines.push(
      [
        `| ${scenario.id} ${scenario.title}`,
        fixed(result.rate, 0),
        `${times(ratioOf(row, ceilings))} ${scenario.ceiling} (≥ ${scenario.minRatio}×${p99})`,
        fixed(result.p50Ms, 1),
        fixed(result.p99Ms, 1),
        result.rejected,
        fixed(perRequest(row, stats.statements), 2),
        fixed(perRequest(row, stats.writes), 2),
        fixed(cpuPerRequest(row), 0),
        times(cpuRatioOf(row, ceilings)),
        fixed(stats.loopDelayMaxMs, 0),
        fixed(row.peakRssMiB, 0),
        `${meetsTarget(row, ceilings, s1Writes) ? 'yes' : 'no'} |`,
      ].join(' | '),
    )
  }
  return lines.join('\n')
}

export function formatSummary(run: {
  ceilings: Ceilings
  s1Writes: number
  shopPeakMiB: number
  run: string
  loadAverages: [string, string]
}): string {
  const { bare, argon2 } = run.ceilings
  const rates = bare.map((row) => fixed(row.result.rate, 0))
  return [
    `- bare Fastify route: ${rates[0]} req/s before the scenarios, ${rates[1]} after; p99 ` +
      `${bare.map((row) => fixed(row.result.p99Ms, 1)).join(' / ')} ms; server CPU ` +
      `${bare.map((row) => fixed(cpuPerRequest(row), 0)).join(' / ')} µs per request`,
    `- raw argon2id verify (m=19456, t=2, p=1, 4 in flight on libuv's thread pool): ` +
      `${argon2.map((one) => fixed(one.rate, 1)).join(' / ')} per second after S1 / after S4; ` +
      `CPU ${argon2.map((one) => fixed(one.cpuMicrosPerVerify / 1000, 1)).join(' / ')} ms per verify; ` +
      `event-loop delay max ${argon2.map((one) => fixed(one.loopDelayMaxMs, 0)).join(' / ')} ms`,
    `- rows inserted, updated or deleted during S1 (pg_stat_user_tables): ${run.s1Writes}`,
    `- the shop's peak RSS over its whole life (VmHWM): ${fixed(run.shopPeakMiB, 0)} MiB`,
    `- ${run.run}`,
    `- load average (1, 5, 15 min): ${run.loadAverages[0]} at the start, ${run.loadAverages[1]} at the end`,
  ].join('\n')
}

const mib = (bytes: number) => fixed(bytes / 2 ** 20, 0)

/** The shop's memory after start-up (before any request) and after each scenario, as Node reports it. */
export function formatMemory(idle: NodeJS.MemoryUsage, rows: Row[]): string {
  const line = (phase: string, memory: NodeJS.MemoryUsage, peak: string, isMet: boolean) =>
    `| ${phase} | ${mib(memory.rss)} | ${peak} | ${mib(memory.heapTotal)} | ${mib(memory.heapUsed)} | ${mib(memory.external)} | ${mib(memory.arrayBuffers)} | ${isMet ? 'yes' : 'no'} |`
  return [
    '| shop memory, MiB | RSS | peak RSS meanwhile (target) | V8 heap | heap used | external | of it array buffers | met |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    line('idle, after start-up', idle, `(idle ≤ ${MAX_IDLE_RSS_MIB})`, idle.rss / 2 ** 20 <= MAX_IDLE_RSS_MIB),
    ...rows.map((row) =>
      line(
        `after ${row.scenario.id}`,
        row.stats.memory,
        `${fixed(row.peakRssMiB, 0)} (≤ ${MAX_RSS_MIB})`,
        row.peakRssMiB <= MAX_RSS_MIB,
      ),
    ),
  ].join('\n')
}
