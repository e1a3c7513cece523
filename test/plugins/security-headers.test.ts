// The security headers are written out in src/plugins/security-headers.ts instead of asking helmet on every
// request; these tests hold them to what helmet itself sends for the same options, through a real response.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'node:test'
import helmet, { type HelmetOptions } from 'helmet'
import { securityHeaders } from '../../src/plugins/security-headers.ts'
import { startVisit } from '../helpers/app.ts'

// What the shop asks of helmet: a policy of its own (no inline script, no framing), a same-origin Referer.
const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'self'"],
      objectSrc: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'same-origin' },
} satisfies HelmetOptions

// Headers every response has whether or not helmet runs.
const NOT_HELMETS = new Set(['connection', 'content-length', 'date', 'keep-alive'])

async function helmetHeaders(options: HelmetOptions): Promise<Record<string, string>> {
  const middleware = helmet(options)
  const server = createServer((request, response) => middleware(request, response, () => response.end()))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
    return Object.fromEntries([...response.headers].filter(([name]) => !NOT_HELMETS.has(name)))
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
}

test('in production the headers are exactly what helmet sends for the same options, HSTS included', async () => {
  const expected = await helmetHeaders({ ...HELMET_OPTIONS, strictTransportSecurity: true })
  assert.deepEqual({ ...securityHeaders(true) }, expected)
})

test('elsewhere they are helmet’s without HSTS, since the shop is not served over HTTPS there', async () => {
  const expected = await helmetHeaders({ ...HELMET_OPTIONS, strictTransportSecurity: false })
  assert.deepEqual({ ...securityHeaders(false) }, expected)
})

test('every page is sent with them', async (t) => {
  const visit = await startVisit(t)
  const page = await visit.get('/')
  for (const [name, value] of Object.entries(securityHeaders(false))) assert.equal(page.headers[name], value, name)
  assert.equal(page.headers['strict-transport-security'], undefined)
})
