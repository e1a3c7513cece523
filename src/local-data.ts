// What a developer's machine keeps under .data/ (git-ignored): the embedded database and the
// generated session secret, so that `npm start` needs no set-up and a restart keeps every session.
import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { ConfigError } from './config.ts'
import { projectRoot } from './shared/project-root.ts'

export const localDataDir = path.join(projectRoot, '.data')

const MIN_SECRET_LENGTH = 32

export async function readOrCreateSessionSecret(dir = localDataDir): Promise<string> {
  const file = path.join(dir, 'session-secret')
  const existing = await readSecret(file)
  if (existing !== undefined) return existing
  await mkdir(dir, { recursive: true })
  const secret = randomBytes(32).toString('base64url')
  // Written whole to a file of its own, then linked into place: link() fails if the name exists, so two
  // instances starting at once end with one secret, and neither can read a file that is still being written.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`
  await writeFile(draft, secret, { flag: 'wx', mode: 0o600 })
  try {
    await link(draft, file).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error
    })
  } finally {
    await unlink(draft)
  }
  return (await readSecret(file)) ?? secret
}

/** The file's secret, or undefined if there is no file. A file that holds too short a secret is refused. */
async function readSecret(file: string): Promise<string | undefined> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (text === undefined) return undefined
  const secret = text.trim()
  // Someone wrote this file: replacing it quietly would hide their mistake, and using it would sign cookies
  // with a guessable key.
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      `Invalid configuration: ${shownPath(file)} holds fewer than ${MIN_SECRET_LENGTH} characters; delete it to generate a new one`,
    )
  }
  return secret
}

function shownPath(file: string): string {
  const relative = path.relative(projectRoot, file)
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative
}
