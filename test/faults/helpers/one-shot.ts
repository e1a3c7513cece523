// One request on a connection of its own (no keep-alive), so that each request shows on its own whether the
// server accepted it: a refused connection, a complete answer, or one cut off half-way.
import http from 'node:http'

export type Outcome =
  | { kind: 'answered'; status: number; body: string; setCookies: string[]; startedAt: number; endedAt: number }
  | { kind: 'failed'; code: string; startedAt: number; endedAt: number }

const TIMEOUT_MS = 30_000

export function oneShot(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Outcome> {
  const startedAt = performance.now()
  return new Promise((resolve) => {
    const request = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false })
    request.setTimeout(TIMEOUT_MS, () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })))
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ kind: 'failed', code: error.code ?? error.message, startedAt, endedAt: performance.now() }),
    )
    request.on('response', (response) => {
      const chunks: Buffer[] = []
      const cutOff = (code: string) => resolve({ kind: 'failed', code, startedAt, endedAt: performance.now() })
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', (error: NodeJS.ErrnoException) => cutOff(error.code ?? 'RESPONSE_ERROR'))
      response.on('aborted', () => cutOff('ABORTED'))
      response.on('end', () => {
        // Incomplete: the connection closed before the whole body arrived.
        if (!response.complete) return cutOff('INCOMPLETE')
        resolve({
          kind: 'answered',
          status: response.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          setCookies: response.headers['set-cookie'] ?? [],
          startedAt,
          endedAt: performance.now(),
        })
      })
    })
    request.end(options.body)
  })
}
