// One load run with autocannon, after a warm-up whose numbers are thrown away (JIT, pools, caches).
import autocannon from 'autocannon'

export type LoadRequest = {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: string
  /** Called before each send of this request, with the request as it stands: returns the one to send. */
  setupRequest?: (request: LoadRequest) => LoadRequest
}

export type Load = { url: string; connections: number; requests: LoadRequest[] }

export type LoadResult = { rate: number; p50Ms: number; p99Ms: number; rejected: number; total: number }

export async function runLoad(
  load: Load,
  times: { seconds: number; warmUpSeconds: number },
  afterWarmUp: () => void,
): Promise<LoadResult> {
  await autocannon({ ...load, duration: times.warmUpSeconds })
  afterWarmUp()
  const result = await autocannon({ ...load, duration: times.seconds })
  return {
    rate: result.requests.total / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    // Anything but a 2xx or 3xx: a refused form, an error page, a dropped or timed-out connection.
    rejected: result['1xx'] + result['4xx'] + result['5xx'] + result.errors + result.timeouts,
    total: result.requests.total,
  }
}
