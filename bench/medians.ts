// `npx tsx bench/medians.ts <run>.md … [-- <run>.md …]`: the median of each scenario's figures over the saved
// output of several `npm run bench` runs (a set per store, separated by `--`), side by side. A ratio is only
// comparable within its run, so each ratio's median is taken over the ratios, never over the rates.
import { readFileSync } from 'node:fs'

type Figures = { ratio: number; p99Ms: number; writes: number; cpuMicros: number; peakMiB: number; met: boolean }

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

/** Each scenario's figures in one run's table, and the shop's RSS after start-up. */
function parseRun(file: string): { scenarios: Map<string, Figures>; idleMiB: number } {
  const scenarios = new Map<string, Figures>()
  let idleMiB = Number.NaN
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cells = line.split('|').map((cell) => cell.trim())
    const id = /^(S\d+m?) /.exec(cells[1] ?? '')?.[1]
    if (id !== undefined && cells.length >= 14) {
      scenarios.set(id, {
        ratio: Number.parseFloat(cells[3] ?? ''),
        p99Ms: Number(cells[5]),
        writes: Number(cells[8]),
        cpuMicros: Number(cells[9]),
        peakMiB: Number(cells[12]),
        met: cells[13] === 'yes',
      })
    }
    if (cells[1] === 'idle, after start-up') idleMiB = Number(cells[2])
  }
  return { scenarios, idleMiB }
}

function mediansOf(files: string[]) {
  const runs = files.map(parseRun)
  const ids = [...(runs[0]?.scenarios.keys() ?? [])]
  const of = (id: string, pick: (figures: Figures) => number) =>
    median(runs.map((run) => run.scenarios.get(id)).flatMap((figures) => (figures ? [pick(figures)] : [])))
  const rows = ids.map((id) => ({
    id,
    ratio: of(id, (f) => f.ratio),
    p99Ms: of(id, (f) => f.p99Ms),
    writes: of(id, (f) => f.writes),
    cpuMicros: of(id, (f) => f.cpuMicros),
    peakMiB: of(id, (f) => f.peakMiB),
    metIn: runs.filter((run) => run.scenarios.get(id)?.met).length,
  }))
  return { runs: runs.length, rows, idleMiB: median(runs.map((run) => run.idleMiB)) }
}

const args = process.argv.slice(2)
const split = args.indexOf('--')
const sets = split === -1 ? [args] : [args.slice(0, split), args.slice(split + 1)]
if (sets.some((set) => set.length === 0)) throw new Error('usage: tsx bench/medians.ts <run>.md … [-- <run>.md …]')
const medians = sets.map(mediansOf)
const header = medians.map((_, index) => (medians.length === 1 ? '' : ` (set ${index + 1})`))
console.log(
  `| scenario | ${header.map((set) => `ratio${set} | p99 ms | writes/req | CPU µs/req | peak RSS MiB | met in runs`).join(' | ')} |`,
)
console.log(`| --- |${' ---: | ---: | ---: | ---: | ---: | ---: |'.repeat(medians.length)}`)
for (const [index, row] of (medians[0]?.rows ?? []).entries()) {
  const cells = medians.map((set) => {
    const one = set.rows[index]
    if (one === undefined) return ' | | | | |'
    const ratio = one.ratio >= 0.1 ? one.ratio.toFixed(2) : one.ratio.toFixed(3)
    return `${ratio}× | ${one.p99Ms.toFixed(0)} | ${one.writes.toFixed(2)} | ${one.cpuMicros.toFixed(0)} | ${one.peakMiB.toFixed(0)} | ${one.metIn} of ${set.runs}`
  })
  console.log(`| ${row.id} | ${cells.join(' | ')} |`)
}
console.log(`| idle RSS MiB | ${medians.map((set) => `${set.idleMiB.toFixed(0)} | | | | |`).join(' ')}`)
