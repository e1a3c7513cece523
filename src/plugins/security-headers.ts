// Security headers, with a Content-Security-Policy that allows no inline script at all.
import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

export const securityHeadersPlugin = fp(
  async (app: FastifyInstance, options: { isProduction: boolean }) => {
    await app.register(helmet, {
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
      // The cart's add forms fall back to the Referer for where to return; other sites still learn nothing.
      referrerPolicy: { policy: 'same-origin' },
      // HSTS only where the shop is really served over HTTPS.
      strictTransportSecurity: options.isProduction,
    })
  },
  { name: 'security-headers' },
)
