// The part of autocannon's API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  type Request = {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
    setupRequest?: (request: Request) => Request
  }
  type Options = Request & { url: string; connections: number; duration: number; requests?: Request[] }
  type Result = {
    duration: number
    errors: number
    timeouts: number
    '1xx': number
    '2xx': number
    '3xx': number
    '4xx': number
    '5xx': number
    latency: { p50: number; p99: number }
    requests: { total: number }
  }
  export default function autocannon(options: Options): Promise<Result>
}
