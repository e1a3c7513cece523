// The shop's process with a bad setting: one line that names the variable, exit code 1, nothing served.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import { test } from 'node:test'

const root = path.resolve(import.meta.dirname, '../..')

async function start(env: Record<string, string>): Promise<{ code: number | null; errors: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH, NODE_ENV: 'test', SESSION_SECRET: 'x'.repeat(32), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk
  })
  const [code] = await once(child, 'exit')
  return { code, errors: stderr.split('\n').filter((line) => line !== '') }
}

for (const [variable, value] of [
  ['PORT', 'eighty'],
  ['PORT', '0'],
  ['PORT', '70000'],
  ['DATABASE_URL', 'mysql://shop@127.0.0.1/shop'],
  ['DATABASE_URL', 'postgresql://shop@127.0.0.1:1/shop'],
  ['SESSION_IDLE_SECONDS', '-5'],
]) {
  test(`${variable}=${value} stops start-up with one line that names it, and exit code 1`, async () => {
    const { code, errors } = await start({ [variable as string]: value as string })
    assert.equal(code, 1)
    assert.equal(errors.length, 1, errors.join('\n'))
    assert.match(errors[0] ?? '', new RegExp(`\\b${variable}\\b`))
  })
}
