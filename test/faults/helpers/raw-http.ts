// HTTP/1.1 written byte by byte on a socket: what no well-behaved client sends (invalid UTF-8 in the path,
// any content type, duplicated headers), for the fuzz test.
import net from 'node:net'

export type RawRequest = { method: string; target: Buffer; headers: [string, string][]; body?: Buffer }

/** The size of the request line and headers: Node refuses a request whose head is over 16 KiB. */
export function headSize(request: RawRequest): number {
  return request.target.length + request.headers.reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0)
}

/** `headers` keeps the last of a repeated header; `setCookies` every Set-Cookie line, in order. */
export type RawResponse = { status: number; headers: Map<string, string>; setCookies: string[]; body: string }

/**
 * What is wrong with an answer of the shop's to bad input, or null: it must be under 500 and carry the
 * security headers, and anything but a redirect must be a page of the shop (its layout), not a bare status.
 */
export function shopAnswerProblem(response: RawResponse): string | null {
  if (response.status >= 500) return `answered ${response.status}`
  if (!/script-src 'self'/.test(response.headers.get('content-security-policy') ?? '')) return 'no CSP'
  if (response.headers.get('x-content-type-options') !== 'nosniff') return 'no X-Content-Type-Options'
  if (response.status === 303) return null
  if (!/^text\/html/.test(response.headers.get('content-type') ?? '')) return `${response.status} is not HTML`
  if (!/<title>[^<]* · Cartwheel<\/title>/.test(response.body)) return `${response.status} is not a page of the shop`
  return null
}

const TIMEOUT_MS = 30_000

export function sendRaw(port: number, request: RawRequest): Promise<RawResponse | null> {
  const head = Buffer.concat([
    Buffer.from(`${request.method} `),
    request.target,
    Buffer.from(' HTTP/1.1\r\n'),
    Buffer.from(request.headers.map(([name, value]) => `${name}: ${value}\r\n`).join(''), 'latin1'),
    Buffer.from('\r\n'),
  ])
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.setTimeout(TIMEOUT_MS, () => {
      reject(new Error(`no answer within ${TIMEOUT_MS} ms`))
      socket.destroy()
    })
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    // A server may answer and close before reading the whole request (a 413, a 431): the answer counts, not
    // the reset that follows; when the reset overtook the answer, there is none (null).
    socket.on('error', () => {})
    socket.on('close', () => {
      const raw = Buffer.concat(chunks)
      try {
        resolve(raw.length === 0 ? null : parseResponse(raw))
      } catch (error) {
        reject(error)
      }
    })
    // Not end(): Node's HTTP server drops a request whose client half-closes before the answer is written.
    // `Connection: close` makes the server close once it has answered.
    socket.write(request.body === undefined ? head : Buffer.concat([head, request.body]))
  })
}

function parseResponse(raw: Buffer): RawResponse {
  const headEnd = raw.indexOf('\r\n\r\n')
  if (headEnd < 0) throw new Error(`not an HTTP response: ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`)
  const [statusLine = '', ...lines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n')
  const fields = lines.map(
    (line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()] as const,
  )
  const headers = new Map(fields)
  const setCookies = fields.filter(([name]) => name === 'set-cookie').map(([, value]) => value)
  const rest = raw.subarray(headEnd + 4)
  const body = headers.get('transfer-encoding') === 'chunked' ? unchunk(rest) : rest
  return { status: Number(statusLine.split(' ')[1]), headers, setCookies, body: body.toString('utf8') }
}

function unchunk(raw: Buffer): Buffer {
  const parts: Buffer[] = []
  for (let at = 0; at < raw.length; ) {
    const lineEnd = raw.indexOf('\r\n', at)
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16)
    if (!(size > 0)) break
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size))
    at = lineEnd + 2 + size + 2
  }
  return Buffer.concat(parts)
}
