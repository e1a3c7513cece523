// Security headers, with a Content-Security-Policy that allows no inline script at all. They are the same on
// every response (no per-request CSP nonce: the shop has no inline script), so they are written out here once:
// @fastify/helmet would build helmet's middleware and parse the policy again on every request, a tenth of the
// catalog page's CPU. They are helmet's for the options in test/plugins/security-headers.test.ts, which checks
// them against what helmet sends, so a helmet release that changes its advice fails there.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export function securityHeaders(isProduction: boolean): Readonly<Record<string, string>> {
  return Object.freeze({
    'content-security-policy':
      "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';" +
      "form-action 'self';frame-ancestors 'none';base-uri 'self';object-src 'none'",
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    // The cart's add forms fall back to the Referer for where to return; other sites still learn nothing.
    'referrer-policy': 'same-origin',
    // HSTS only where the shop is really served over HTTPS.
    ...(isProduction ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'SAMEORIGIN',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  })
}

export const securityHeadersPlugin = fp(
  async (app: FastifyInstance, options: { isProduction: boolean }) => {
    const headers = securityHeaders(options.isProduction)
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers)
      done()
    })
  },
  { name: 'security-headers' },
)
