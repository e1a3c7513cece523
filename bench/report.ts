// The markdown table and notes `npm run bench` prints.
import type { LoadResult } from './load.ts'
import type { Scenario } from './scenarios.ts'
import type { ServerStats } from './server.ts'

export type Row = { scenario: Scenario; result: LoadResult; stats: ServerStats; peakRssMiB: number }
export type Ceilings = { bare: [Row, Row]; bareRate: number; argon2: [number, number]; argon2Rate: number }

export const MAX_RSS_MIB = 150

const fixed = (value: number, digits: number) => value.toFixed(digits)
const ratio = (value: number) => (value >= 0.1 ? value.toFixed(2) : value.toFixed(3))
const perRequest = (row: Row, count: number) => (row.stats.requests === 0 ? 0 : count / row.stats.requests)

export function ratioOf(row: Row, ceilings: Ceilings): number {
  return row.result.rate / (row.scenario.ceiling === 'argon2' ? ceilings.argon2Rate : ceilings.bareRate)
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
    '| scenario | req/s | ratio | target | p50 ms | p99 ms | not 2xx/3xx | queries/req | writes/req | server CPU µs/req | loop delay max ms | peak RSS MiB | met |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ]
  for (const row of rows) {
    const { scenario, result, stats } = row
    const p99 = scenario.maxP99Ms === null ? '' : `, p99 ≤ ${scenario.maxP99Ms}`
    lines.push(
      [
        `| ${scenario.id} ${scenario.title}`,
        fixed(result.rate, 0),
        `${ratio(ratioOf(row, ceilings))}× ${scenario.ceiling}`,
        `≥ ${scenario.minRatio}× ${scenario.ceiling}${p99}`,
        fixed(result.p50Ms, 1),
        fixed(result.p99Ms, 1),
        result.rejected,
        fixed(perRequest(row, stats.statements), 2),
        fixed(perRequest(row, stats.writes), 2),
        fixed(perRequest(row, stats.cpuMicros), 0),
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
  const { bare, argon2, bareRate, argon2Rate } = run.ceilings
  const cpu = (row: Row) => fixed(perRequest(row, row.stats.cpuMicros), 0)
  return [
    `- bare Fastify route: ${fixed(bare[0].result.rate, 0)} req/s before the scenarios, ${fixed(bare[1].result.rate, 0)} after ` +
      `(mean ${fixed(bareRate, 0)}); p99 ${fixed(bare[0].result.p99Ms, 1)} / ${fixed(bare[1].result.p99Ms, 1)} ms; ` +
      `server CPU ${cpu(bare[0])} / ${cpu(bare[1])} µs per request`,
    `- raw argon2id verify (m=19456, t=2, p=1), ${fixed(argon2[0], 1)}/s after S1, ${fixed(argon2[1], 1)}/s after S4 ` +
      `(mean ${fixed(argon2Rate, 1)}), 4 in flight on libuv's thread pool`,
    `- rows inserted, updated or deleted during S1 (pg_stat_user_tables): ${run.s1Writes}`,
    `- the shop's peak RSS over its whole life (VmHWM): ${fixed(run.shopPeakMiB, 0)} MiB`,
    `- ${run.run}`,
    `- load average (1, 5, 15 min): ${run.loadAverages[0]} at the start, ${run.loadAverages[1]} at the end`,
  ].join('\n')
}
