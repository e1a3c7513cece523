// Starts the shop as a person runs it: `node --import tsx src/server.ts`, a real listening server on a free
// port, against the database it is given. Start-up migrates and seeds that database as it would in production.
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer } from 'node:net'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '../../..')
const START_TIMEOUT_MS = 60_000

export type Shop = { url: string; stop: () => Promise<void> }

export async function startShop(databaseUrl: string): Promise<Shop> {
  const port = await findFreePort()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      NODE_ENV: 'test',
      SESSION_SECRET: 'a-browser-suite-secret-of-at-least-32-characters',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  // Kept for the failure message: a shop that does not start says why.
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  try {
    await waitUntilHealthy(`http://127.0.0.1:${port}`, child)
  } catch (error) {
    child.kill('SIGKILL')
    throw new Error(`${(error as Error).message}\n${output}`)
  }
  // Browsers are sent to localhost, not the bare IP it listens on: PUBLIC_URL's default is
  // http://localhost:<PORT>, and WebAuthn refuses to run on an IP address.
  return { url: `http://localhost:${port}`, stop: () => stopGracefully(child) }
}

async function findFreePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  server.close()
  if (address === null || typeof address === 'string') throw new Error('no TCP port to listen on')
  return address.port
}

async function waitUntilHealthy(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`the shop exited during start-up (code ${child.exitCode})`)
    const isHealthy = await fetch(`${url}/healthz`).then(
      (res) => res.ok,
      () => false,
    )
    if (isHealthy) return
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`the shop did not answer ${url}/healthz within ${START_TIMEOUT_MS / 1000} s`)
}

/** SIGTERM, as in production; the shop finishes its requests and exits. */
async function stopGracefully(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await exited
}

const hasExited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null
