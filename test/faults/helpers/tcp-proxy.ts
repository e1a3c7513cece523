// A TCP proxy between the app and PostgreSQL that a test can cut and restore, to play a database outage.
import net from 'node:net'

/**
 * How the database is cut off:
 * - `refuse`: every connection is dropped, and new ones are reset as soon as they are accepted;
 * - `blackhole`: every connection is dropped, and new ones are accepted but never answered, so a connect hangs;
 * - `stall`: connections stay open but nothing passes either way, ever (a server gone without a word, behind a
 *   partition or a failover), and new ones hang while the outage lasts: only the client's timeouts notice.
 */
export type Outage = 'refuse' | 'blackhole' | 'stall'

type Pair = { client: net.Socket; server: net.Socket | null; isStalled: boolean }

type Trigger = { pattern: RegExp; fired: () => void }

export class TcpProxy {
  readonly #pairs = new Set<Pair>()
  #outage: Outage | null = null
  #trigger: Trigger | null = null

  private constructor(
    private readonly server: net.Server,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client))
  }

  /** Listens on a free loopback port and forwards to `target`. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = net.createServer()
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(0, '127.0.0.1', resolve)
    })
    return new TcpProxy(server, target)
  }

  /** A database URL like `url`, but through this proxy. */
  urlFor(url: string): string {
    const parsed = new URL(url)
    parsed.hostname = '127.0.0.1'
    parsed.port = String((this.server.address() as net.AddressInfo).port)
    return parsed.toString()
  }

  cut(outage: Outage): void {
    this.#outage = outage
    for (const pair of this.#pairs) {
      if (outage === 'stall') pair.isStalled = true
      else this.drop(pair)
    }
  }

  /**
   * New connections reach PostgreSQL again. Connections cut off during the outage stay as they are: a stalled
   * one stays silent, like a peer that has gone for good, until its client gives up on it.
   */
  restore(): void {
    this.#outage = null
  }

  /**
   * The next connection whose client sends something matching `pattern` stalls right after it has reached
   * PostgreSQL: the statement runs (and takes its locks), but neither its answer nor anything after it gets
   * through. The rest of the database stays reachable. Resolves when that has happened.
   */
  stallAfter(pattern: RegExp): Promise<void> {
    return new Promise((fired) => {
      this.#trigger = { pattern, fired }
    })
  }

  async close(): Promise<void> {
    for (const pair of this.#pairs) this.drop(pair)
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private accept(client: net.Socket): void {
    client.on('error', () => {})
    if (this.#outage === 'refuse') {
      client.resetAndDestroy()
      return
    }
    const pair: Pair = { client, server: null, isStalled: false }
    this.#pairs.add(pair)
    client.on('close', () => this.hangUp(pair))
    client.on('data', (chunk: Buffer) => this.forward(pair, chunk))
    // Accepted, never answered: the client's connect succeeds and then waits for PostgreSQL forever.
    if (this.#outage !== null) return
    const server = net.connect(this.target)
    pair.server = server
    server.on('error', () => {})
    server.on('close', () => this.hangUp(pair))
    server.on('data', (chunk: Buffer) => {
      if (!pair.isStalled) client.write(chunk)
    })
  }

  private forward(pair: Pair, chunk: Buffer): void {
    if (pair.isStalled || pair.server === null) return
    pair.server.write(chunk)
    const trigger = this.#trigger
    if (trigger?.pattern.test(chunk.toString('latin1'))) {
      this.#trigger = null
      pair.isStalled = true
      trigger.fired()
    }
  }

  /** One side closed: the other hears of it, unless the pair is stalled (then nothing gets through, not even that). */
  private hangUp(pair: Pair): void {
    if (!pair.isStalled) this.drop(pair)
  }

  private drop(pair: Pair): void {
    this.#pairs.delete(pair)
    pair.client.destroy()
    pair.server?.destroy()
  }
}
