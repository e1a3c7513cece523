// `tsx bench/profile-summary.ts <file.cpuprofile>`: where a CPU profile's time goes, by package and by
// function (self time). Profiles come from `npm run bench -- --profile` (the shop, in tmp/profiles/).
import { readFileSync } from 'node:fs'

type Node = { id: number; hitCount: number; callFrame: { functionName: string; url: string; lineNumber: number } }
type Profile = { nodes: Node[]; samples: number[]; startTime: number; endTime: number }

const file = process.argv[2]
if (file === undefined) throw new Error('usage: tsx bench/profile-summary.ts <file.cpuprofile>')
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile
// Shares are of the busy samples: a run's profile spans its ceilings and pauses, when the shop waits idle.
const isIdle = (node: Node) => node.callFrame.functionName === '(idle)'
const allHits = profile.nodes.reduce((sum, node) => sum + node.hitCount, 0)
const busyHits = profile.nodes.reduce((sum, node) => sum + (isIdle(node) ? 0 : node.hitCount), 0)

function packageOf(url: string): string {
  if (url === '') return '(native / V8)'
  if (url.startsWith('node:')) return 'node core'
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)
  if (inModules) return inModules[1] ?? url
  const inProject = /\/(src|bench|views)\/(.*)$/.exec(url)
  return inProject ? `${inProject[1]}/${inProject[2]?.split('/')[0]}` : url
}

function top(key: (node: Node) => string, count: number): string[] {
  const hits = new Map<string, number>()
  for (const node of profile.nodes) {
    if (!isIdle(node)) hits.set(key(node), (hits.get(key(node)) ?? 0) + node.hitCount)
  }
  return [...hits]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, n]) => `${((100 * n) / busyHits).toFixed(1).padStart(5)} %  ${name}`)
}

const seconds = (profile.endTime - profile.startTime) / 1e6
console.log(
  `${file}: ${seconds.toFixed(1)} s, ${allHits} samples, ${busyHits} busy\n\nby package (self time, % of busy):`,
)
console.log(top((node) => packageOf(node.callFrame.url), 20).join('\n'))
console.log('\nby function (self time, % of busy):')
const where = (node: Node) => `${node.callFrame.url.replace(/^.*node_modules\//, '')}:${node.callFrame.lineNumber + 1}`
console.log(top((node) => `${node.callFrame.functionName || '(anonymous)'}  ${where(node)}`, 40).join('\n'))
