// Files from public/ under /static/: the stylesheet, the product pictures and the pages' scripts.
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { projectRoot } from '../shared/project-root.ts'

// The WebAuthn helper the passkey scripts use, served from its package as it ships (no build step): one
// file, so the pages load every script from this origin and the CSP can stay script-src 'self'.
const WEBAUTHN_BROWSER_DIR = path.join(projectRoot, 'node_modules/@simplewebauthn/browser/dist/bundle')

export const staticPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(fastifyStatic, {
      root: path.join(projectRoot, 'public'),
      prefix: '/static/',
      maxAge: '1h',
    })
    app.get('/static/vendor/simplewebauthn-browser.js', (_request, reply) =>
      reply.sendFile('index.umd.min.js', WEBAUTHN_BROWSER_DIR, { maxAge: '1h' }),
    )
  },
  { name: 'static' },
)
