// A Redis of the test's own (never the shared one at 6379): a redis-server process on a free port, that a
// fault test can stop and start again on the same port. With `--appendonly yes` in a directory of its own,
// what it held survives a stop (SIGTERM makes it write its log out first).
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestContext } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { Redis } from 'ioredis'
import { freePort } from './shop-process.ts'

const START_TIMEOUT_MS = 10_000

export class RedisServer {
  #child: ChildProcess | undefined

  private constructor(
    readonly port: number,
    readonly dir: string,
  ) {}

  static async start(t: Pick<TestContext, 'after'>): Promise<RedisServer> {
    const dir = await mkdtemp(path.join(tmpdir(), 'cw-redis-'))
    const server = new RedisServer(await freePort(), dir)
    t.after(async () => {
      await server.stop('SIGKILL')
      await rm(dir, { recursive: true, force: true })
    })
    await server.resume()
    return server
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  /** Starts the process (again, on the same port and directory) and waits until it answers PING. */
  async resume(): Promise<void> {
    const args = ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes']
    this.#child = spawn('redis-server', [...args, '--dir', this.dir], { stdio: 'ignore' })
    const deadline = Date.now() + START_TIMEOUT_MS
    const client = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 })
    // A refused connection while it starts is expected: the loop tries again.
    client.on('error', () => {})
    try {
      while (Date.now() < deadline) {
        const answer = await client
          .connect()
          .then(() => client.ping())
          .catch(() => '')
        if (answer === 'PONG') return
        client.disconnect()
        await sleep(50)
      }
      throw new Error(`redis-server on port ${this.port} did not start within ${START_TIMEOUT_MS} ms`)
    } finally {
      client.disconnect()
    }
  }

  /** The keys it holds that match `pattern` (to show the shop really keeps its sessions here). */
  async keys(pattern: string): Promise<string[]> {
    const client = new Redis(this.url, { maxRetriesPerRequest: 0 })
    try {
      return await client.keys(pattern)
    } finally {
      client.disconnect()
    }
  }

  /** Stops the process and waits for its exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#child
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return
    const exited = once(child, 'exit')
    child.kill(signal)
    await exited
  }
}
