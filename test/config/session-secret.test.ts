// The session secret a machine without SESSION_SECRET keeps under .data/: made once, then read back.
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { type TestContext, test } from 'node:test'
import { ConfigError } from '../../src/config.ts'
import { readOrCreateSessionSecret } from '../../src/local-data.ts'

async function tempDir(t: TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cartwheel-secret-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  return dir
}

test('with no file, a secret of at least 32 characters is generated, kept private and read back next time', async (t) => {
  const dir = path.join(await tempDir(t), 'not-yet-made')
  const secret = await readOrCreateSessionSecret(dir)
  assert.ok(secret.length >= 32)
  const file = path.join(dir, 'session-secret')
  assert.equal(await readFile(file, 'utf8'), secret)
  assert.equal((await stat(file)).mode & 0o777, 0o600)
  assert.equal(await readOrCreateSessionSecret(dir), secret)
})

test('two starts at once settle on one secret', async (t) => {
  const dir = await tempDir(t)
  const [first, second] = await Promise.all([readOrCreateSessionSecret(dir), readOrCreateSessionSecret(dir)])
  assert.equal(first, second)
})

test('a file with a long enough secret is used as it is, without the surrounding whitespace', async (t) => {
  const dir = await tempDir(t)
  const secret = 's'.repeat(32)
  await writeFile(path.join(dir, 'session-secret'), `  ${secret}\n`)
  assert.equal(await readOrCreateSessionSecret(dir), secret)
})

for (const [what, content] of [
  ['an empty file', ''],
  ['a file of whitespace', ' \n\n  '],
  ['a file of 31 characters', `${'s'.repeat(31)}\n`],
]) {
  test(`${what} is refused with one line that names it, and left as it is`, async (t) => {
    const dir = await tempDir(t)
    const file = path.join(dir, 'session-secret')
    await writeFile(file, content)
    await assert.rejects(readOrCreateSessionSecret(dir), (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      assert.ok(error.message.includes(file))
      assert.match(error.message, /fewer than 32 characters; delete it/)
      assert.doesNotMatch(error.message, /\n/)
      return true
    })
    assert.equal(await readFile(file, 'utf8'), content)
  })
}
