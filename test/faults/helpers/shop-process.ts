// The shop as a real process (`node --import tsx src/server.ts`), as production runs it: its own pool,
// signal handling and exit code, which an in-process app cannot show.
import { type ChildProcess, spawn } from 'node:child_process'
import net from 'node:net'
import path from 'node:path'
import type { TestContext } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { TEST_SECRET } from '../../helpers/app.ts'

const root = path.resolve(import.meta.dirname, '../../..')
const START_TIMEOUT_MS = 60_000

export type Exit = { code: number | null; signal: NodeJS.Signals | null }

export class ShopProcess {
  readonly exited: Promise<Exit>
  #output = ''

  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.record(chunk))
    child.stderr?.on('data', (chunk: Buffer) => this.record(chunk))
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  }

  /** Starts the shop without waiting for it; see startShop. */
  static spawn(databaseUrl: string, port: number, env: Record<string, string> = {}): ShopProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        SESSION_SECRET: TEST_SECRET,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    return new ShopProcess(child, port)
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  get isRunning(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /** Everything the process wrote, for assertion messages. */
  get output(): string {
    return this.#output
  }

  async waitUntilHealthy(timeoutMs = START_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs
    while (Date.now() < deadline) {
      if (!this.isRunning) throw new Error(`the shop exited during start-up:\n${this.output}`)
      const status = await fetch(`${this.url}/healthz`).then(
        (res) => res.status,
        () => 0,
      )
      if (status === 200) return
      await sleep(100)
    }
    throw new Error(`the shop did not become healthy within ${timeoutMs} ms:\n${this.output}`)
  }

  /** Sends the signal and waits for the exit. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    if (this.isRunning) this.child.kill(signal)
    return this.exited
  }

  private record(chunk: Buffer) {
    // Bounded: a long outage logs a line per failed request.
    this.#output = (this.#output + chunk.toString()).slice(-20_000)
  }
}

/** Starts the shop on a free port, killed when the test ends, and waits until /healthz answers 200. */
export async function startShop(
  t: Pick<TestContext, 'after'>,
  options: { databaseUrl: string; port?: number; env?: Record<string, string> },
): Promise<ShopProcess> {
  const shop = ShopProcess.spawn(options.databaseUrl, options.port ?? (await freePort()), options.env)
  t.after(() => shop.stop('SIGKILL'))
  await shop.waitUntilHealthy()
  return shop
}

/** A port nobody listens on right now (the shop binds it a moment later). */
export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
