// What a developer's machine keeps under .data/ (git-ignored): the embedded database and the
// generated session secret, so that `npm start` needs no set-up and a restart keeps every session.
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { projectRoot } from './shared/project-root.ts'

export const localDataDir = path.join(projectRoot, '.data')

export async function readOrCreateSessionSecret(dir = localDataDir): Promise<string> {
  const file = path.join(dir, 'session-secret')
  const existing = await readFile(file, 'utf8').catch(() => '')
  if (existing.trim().length >= 32) return existing.trim()
  await mkdir(dir, { recursive: true })
  const secret = randomBytes(32).toString('base64url')
  // wx: two instances starting at once must not each write a different secret.
  await writeFile(file, secret, { flag: 'wx', mode: 0o600 }).catch(() => {})
  return (await readFile(file, 'utf8')).trim()
}
