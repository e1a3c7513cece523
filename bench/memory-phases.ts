// `npx tsx bench/memory-phases.ts`: the shop's memory (process.memoryUsage()) phase by phase, to see what a
// first sign-in and each kind of page add to it: after start-up, after one sign-in, then after loads of
// /account and of the signed-in catalog. Same compiled server and fresh database as `npm run bench`.
import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import autocannon from 'autocannon'
import { buildServers, startServer } from './child-server.ts'
import { createBenchDatabase } from './database.ts'
import { signIn } from './visitor.ts'

const CONNECTIONS = 32
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0)

buildServers()
const database = await createBenchDatabase((line) => console.error(`bench: ${line}`))
const shop = await startServer('shop', {
  BENCH_DATABASE_URL: database.url,
  BENCH_SESSION_SECRET: randomBytes(32).toString('base64url'),
})
try {
  console.log('| phase | RSS MiB | V8 heap MiB | heap used MiB | external MiB |')
  console.log('| --- | ---: | ---: | ---: | ---: |')
  const report = async (phase: string) => {
    const { rss, heapTotal, heapUsed, external } = (await shop.read()).memory
    console.log(`| ${phase} | ${mib(rss)} | ${mib(heapTotal)} | ${mib(heapUsed)} | ${mib(external)} |`)
  }
  await sleep(2000)
  await report('after start-up')
  const who = await signIn(shop.url)
  await report('after one sign-in')
  const load = (path: string, connections: number) =>
    autocannon({
      url: shop.url,
      connections,
      duration: 3,
      requests: [{ path, headers: { cookie: who.signedIn.cookie } }],
    })
  await load('/account', 1)
  await report('after 3 s of GET /account, 1 connection')
  await load('/account', CONNECTIONS)
  await report(`after 3 s of GET /account, ${CONNECTIONS} connections`)
  await load('/', CONNECTIONS)
  await report(`after 3 s of GET / signed in, ${CONNECTIONS} connections`)
} finally {
  await shop.stop()
  await database.drop()
}
