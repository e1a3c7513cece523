// The markdown table `npm run bench` prints.
import type { LoadResult } from './load.ts'
import type { Scenario } from './scenarios.ts'
import type { ServerStats } from './server.ts'

export type Row = { scenario: Scenario; result: LoadResult; stats: ServerStats; peakRssMiB: number }
export type Ceilings = { bareRate: number; argon2Rate: number }

const fixed = (value: number, digits: number) => value.toFixed(digits)
const ratio = (value: number) => (value >= 0.1 ? value.toFixed(2) : value.toFixed(3))

export const MAX_RSS_MIB = 150

export function ratioOf(row: Row, ceilings: Ceilings): number {
  return row.result.rate / (row.scenario.ceiling === 'argon2' ? ceilings.argon2Rate : ceilings.bareRate)
}

export function meetsTarget(row: Row, ceilings: Ceilings, s1Writes: number | null): boolean {
  const { scenario, result } = row
  return (
    ratioOf(row, ceilings) >= scenario.minRatio &&
    (scenario.maxP99Ms === null || result.p99Ms <= scenario.maxP99Ms) &&
    result.rejected === 0 &&
    row.peakRssMiB <= MAX_RSS_MIB &&
    (scenario.id !== 'S1' || s1Writes === 0)
  )
}

export function formatTable(rows: Row[], ceilings: Ceilings, s1Writes: number | null): string {
  const lines = [
    '| scenario | req/s | ratio | target | p50 ms | p99 ms | not 2xx/3xx | queries/req | writes/req | loop delay max ms | peak RSS MiB | met |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ]
  for (const row of rows) {
    const { scenario, result, stats } = row
    const per = (count: number) => (stats.requests === 0 ? '-' : fixed(count / stats.requests, 2))
    const target = `≥ ${scenario.minRatio}× ${scenario.ceiling}${scenario.maxP99Ms === null ? '' : `, p99 ≤ ${scenario.maxP99Ms}`}`
    lines.push(
      `| ${scenario.id} ${scenario.title} | ${fixed(result.rate, 0)} | ${ratio(ratioOf(row, ceilings))}× ${scenario.ceiling} | ${target} | ` +
        `${fixed(result.p50Ms, 1)} | ${fixed(result.p99Ms, 1)} | ${result.rejected} | ${per(stats.statements)} | ` +
        `${per(stats.writes)} | ${fixed(stats.loopDelayMaxMs, 0)} | ${fixed(row.peakRssMiB, 0)} | ` +
        `${meetsTarget(row, ceilings, s1Writes) ? 'yes' : 'no'} |`,
    )
  }
  return lines.join('\n')
}
