// Two `npm start` at the same moment from one fresh checkout with nothing built yet, on one empty database:
// neither loads a half-written build, both migrate-or-wait, serve and stop cleanly.
import assert from 'node:assert/strict'
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { test } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { demoProducts } from '../../src/catalog/demo-products.ts'
import { TEST_SECRET } from '../helpers/app.ts'
import { createTestDatabase } from '../helpers/database.ts'
import { freePort } from './helpers/shop-process.ts'

const root = path.resolve(import.meta.dirname, '../..')
// About 30 s on a quiet machine: one compile (the other starter waits for it), migrations, the seed.
const START_TIMEOUT_MS = 90_000

/** The checkout's files as a fresh clone has them, plus what `npm install` adds: node_modules, the Prisma client. */
async function freshCheckout(t: { after: (fn: () => Promise<void>) => void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cw-start-together-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root })
    .toString()
    .split('\0')
    .filter((file) => file !== '')
  for (const file of files) {
    await mkdir(path.join(dir, path.dirname(file)), { recursive: true })
    await cp(path.join(root, file), path.join(dir, file)).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error // deleted in the worktree, not yet in git
    })
  }
  await symlink(path.join(root, 'node_modules'), path.join(dir, 'node_modules'))
  await cp(path.join(root, 'src/generated'), path.join(dir, 'src/generated'), { recursive: true })
  return dir
}

function npmStart(cwd: string, databaseUrl: string, port: number) {
  const child = spawn('npm', ['start', '--silent'], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: TEST_SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A group of its own, so that a failed test can kill npm and the shop under it together.
    detached: true,
  })
  let output = ''
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk: Buffer) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { child, port, exited, output: () => output }
}

function serverPidOf(npm: ChildProcess): number {
  const children = readFileSync(`/proc/${npm.pid}/task/${npm.pid}/children`, 'utf8').trim().split(' ')
  assert.equal(children.length, 1, 'npm start runs one process')
  return Number(children[0])
}

async function waitUntilHealthy(shop: ReturnType<typeof npmStart>, deadline: number) {
  while (Date.now() < deadline) {
    if (shop.child.exitCode !== null) throw new Error(`npm start exited with ${shop.child.exitCode}:\n${shop.output()}`)
    const status = await fetch(`http://127.0.0.1:${shop.port}/healthz`).then(
      (res) => res.status,
      () => 0,
    )
    if (status === 200) return
    await sleep(200)
  }
  throw new Error(`npm start did not answer /healthz 200 in time:\n${shop.output()}`)
}

test('two npm start at the same moment on a fresh checkout and an empty database both serve, and both exit 0 on SIGTERM', async (t) => {
  const databaseUrl = await createTestDatabase(t, { empty: true })
  const checkout = await freshCheckout(t)
  const shops = [npmStart(checkout, databaseUrl, await freePort()), npmStart(checkout, databaseUrl, await freePort())]
  t.after(() => {
    for (const { child } of shops) if (child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL')
  })
  const deadline = Date.now() + START_TIMEOUT_MS
  await Promise.all(shops.map((shop) => waitUntilHealthy(shop, deadline)))
  t.diagnostic(`both healthy ${Math.round((Date.now() - deadline + START_TIMEOUT_MS) / 1000)} s after starting`)

  const catalog = await fetch(`http://127.0.0.1:${shops[1]?.port}/`).then((res) => res.text())
  assert.equal(catalog.split('class="product-card"').length - 1, demoProducts.length, 'the catalog was seeded once')
  const builds = (await readdir(path.join(checkout, 'dist-start'))).filter((name) => !name.startsWith('.'))
  assert.equal(builds.length, 1, 'the sources were compiled once')

  // npm itself, sent SIGTERM, passes it on and exits 143 at once without waiting; a process manager that
  // wants the exit code signals the shop, npm's child (`exec` in the start script: no shell in between),
  // and npm exits with the shop's code.
  for (const shop of shops) process.kill(serverPidOf(shop.child), 'SIGTERM')
  for (const shop of shops) assert.equal(await shop.exited, 0, `exit after SIGTERM\n${shop.output()}`)
})
