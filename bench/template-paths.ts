// `npx tsx bench/template-paths.ts`: the CPU one catalog page's render costs through @fastify/view and eta, with
// eta's own path resolution (its cacheFilepaths option on and off) and with the resolved paths kept in a Map.
// The Map saved 10-20 µs of a 90-120 µs render, within this machine's noise; plain guests' pages are not rendered
// per request at all (src/catalog/page-cache.ts), so views.ts keeps eta's own cache rather than replace its method.
import path from 'node:path'
import fastifyView from '@fastify/view'
import { Eta } from 'eta'
import Fastify from 'fastify'
import { demoProducts } from '../src/catalog/demo-products.ts'
import { formatDateTime } from '../src/shared/dates.ts'
import { formatCents } from '../src/shared/money.ts'
import { projectRoot } from '../src/shared/project-root.ts'

const RENDERS = 2000

function keptPaths(eta: Eta): Eta {
  const resolve = eta.resolvePath
  const paths = new Map<string, string>()
  eta.resolvePath = function resolvePath(template, options) {
    const key = `${options?.filepath ?? ''}\0${template}`
    let resolved = paths.get(key)
    if (resolved === undefined) {
      resolved = resolve.call(this, template, options)
      paths.set(key, resolved)
    }
    return resolved
  }
  return eta
}

const engines: [string, () => Eta][] = [
  ['eta, cacheFilepaths: true (its default)', () => new Eta({ autoEscape: true })],
  ['eta, cacheFilepaths: false', () => new Eta({ autoEscape: true, cacheFilepaths: false })],
  ['resolved paths kept in a Map', () => keptPaths(new Eta({ autoEscape: true, cacheFilepaths: false }))],
]

const products = demoProducts.map(([slug, name, priceCents, description], index) => ({
  id: index + 1,
  slug,
  name,
  description,
  priceCents,
  imagePath: `/static/images/products/${slug}.svg`,
}))
const data = {
  title: 'Catalog',
  products,
  viewer: { email: 'ann@example.test', cartCount: 2 },
  csrfToken: 'x'.repeat(52),
  flash: null,
  formatCents,
  formatDateTime,
}

async function cpuMicrosPerRender(createEngine: () => Eta): Promise<number> {
  const app = Fastify()
  await app.register(fastifyView, {
    engine: { eta: createEngine() },
    templates: path.join(projectRoot, 'views'),
    production: true,
  })
  await app.ready()
  for (let i = 0; i < RENDERS / 4; i++) await app.view('catalog/index', data) // warm-up: JIT, compiled templates
  const start = process.cpuUsage()
  for (let i = 0; i < RENDERS; i++) await app.view('catalog/index', data)
  const used = process.cpuUsage(start)
  await app.close()
  return (used.user + used.system) / RENDERS
}

console.log(`| eta path resolution | CPU µs per catalog page, ${RENDERS} renders (five rounds) |\n| --- | ---: |`)
const results = new Map<string, number[]>()
for (let round = 0; round < 5; round++) {
  for (const [name, createEngine] of engines)
    results.set(name, [...(results.get(name) ?? []), await cpuMicrosPerRender(createEngine)])
}
for (const [name, micros] of results) console.log(`| ${name} | ${micros.map((m) => m.toFixed(0)).join(', ')} |`)
