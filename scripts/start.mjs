// `npm start`: compiles the server only when its sources changed since the last start, then runs it in this
// process. Instances started at the same moment from one checkout never load a half-written build: each build
// goes to a folder of its own, named by a fingerprint of its inputs, and appears under that name only when
// complete (renaming a folder to a name that does not exist yet is atomic). A lock file keeps a second
// starter from compiling the same sources again: it waits and then uses the first one's build.
// `npm run build` (dist/, what the Dockerfile and CI use) is separate and unchanged.
import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { pathToFileURL } from 'node:url'

const root = path.resolve(import.meta.dirname, '..')
const builds = path.join(root, 'dist-start')
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json']
const LOCK_POLL_MS = 200

/** Path, size and modification time of every file the build reads: a change to any makes a new build. */
async function fingerprint() {
  const hash = createHash('sha256')
  for (const input of inputs) {
    const info = await stat(path.join(root, input))
    const files = info.isDirectory()
      ? (await readdir(path.join(root, input), { recursive: true, withFileTypes: true }))
          .filter((entry) => entry.isFile())
          .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))
          .sort()
      : [input]
    for (const file of files) {
      const { size, mtimeMs } = await stat(path.join(root, file))
      hash.update(`${file}\0${size}\0${mtimeMs}\n`)
    }
  }
  return hash.digest('hex').slice(0, 16)
}

const exists = (file) =>
  stat(file).then(
    () => true,
    () => false,
  )

/** Holds `lock` while `work` runs; waits while another live process holds it, and takes over a dead one's. */
async function withLock(lock, work) {
  for (;;) {
    try {
      const handle = await open(lock, 'wx')
      await handle.writeFile(String(process.pid))
      await handle.close()
      break
    } catch (error) {
      if (error.code !== 'EEXIST') throw error
      const holder = Number(await readFile(lock, 'utf8').catch(() => ''))
      if (holder > 0 && !isAlive(holder)) await rm(lock, { force: true })
      else await sleep(LOCK_POLL_MS)
    }
  }
  try {
    return await work()
  } finally {
    await rm(lock, { force: true })
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

async function buildOnce() {
  const id = await fingerprint()
  const build = path.join(builds, id)
  if (await exists(build)) return build
  await mkdir(builds, { recursive: true })
  return withLock(path.join(builds, '.lock'), async () => {
    if (await exists(build)) return build
    const partial = path.join(builds, `.partial-${randomBytes(6).toString('hex')}`)
    try {
      const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc')
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', partial], {
        cwd: root,
        stdio: 'inherit',
      })
      await rename(partial, build)
    } finally {
      await rm(partial, { recursive: true, force: true })
    }
    // Earlier builds (their servers, if still running, loaded every module at start) and what a starter killed
    // half-way left: under the lock no other build is being written.
    for (const old of await readdir(builds)) {
      if (old !== id && old !== '.lock') await rm(path.join(builds, old), { recursive: true, force: true })
    }
    return build
  })
}

const build = await buildOnce()
await import(pathToFileURL(path.join(build, 'src', 'server.js')).href)
