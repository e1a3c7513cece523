// eta templates from views/, compiled once and cached outside development, printed with auto-escaping.
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import fastifyView from '@fastify/view'
import { Eta } from 'eta'
import type { FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { formatDateTime } from '../shared/dates.ts'
import { formatCents } from '../shared/money.ts'
import { projectRoot } from '../shared/project-root.ts'
import { type PageContext, PLAIN_GUEST } from './page-context.ts'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The page as every plain guest sees it (page-context.ts), cut where the CSRF token goes: rendered from
     * `data` and PLAIN_GUEST alone, never from a visitor's context, so it may be sent to any plain guest.
     */
    viewForAnyGuest(page: string, data: Readonly<Record<string, unknown>>): Promise<readonly string[]>
  }
  interface FastifyReply {
    /** Sends a page cut by viewForAnyGuest with this visitor's CSRF token put in every cut. */
    sendWithCsrfToken(parts: readonly string[]): FastifyReply
  }
}

const viewsDir = path.join(projectRoot, 'views')

// Printed where the token goes: hex is left as it is by HTML escaping and never occurs in a page by chance.
const TOKEN_PLACEHOLDER = randomBytes(16).toString('hex')

export const viewsPlugin = fp(
  async (app: FastifyInstance, options: { isDevelopment: boolean; hasMailbox: boolean }) => {
    await app.register(fastifyView, {
      // eta's own cache of include paths (cacheFilepaths, on by default) is enough: bench/template-paths.ts.
      engine: { eta: new Eta({ autoEscape: true }) },
      templates: viewsDir,
      production: !options.isDevelopment,
      // What the layout needs when a page is rendered before the page hooks ran (an early error page).
      defaultContext: { ...PLAIN_GUEST, csrfToken: '', formatCents, formatDateTime, hasMailbox: options.hasMailbox },
    })

    app.decorate('viewForAnyGuest', async (page: string, data: Readonly<Record<string, unknown>>) => {
      const html: string = await app.view(page, { ...data, ...PLAIN_GUEST, csrfToken: TOKEN_PLACEHOLDER })
      return html.split(TOKEN_PLACEHOLDER)
    })
    app.decorateReply('sendWithCsrfToken', function sendWithCsrfToken(this: FastifyReply, parts: readonly string[]) {
      const { csrfToken } = this.locals as PageContext
      return this.type('text/html; charset=utf-8').send(parts.join(csrfToken))
    })
  },
  { name: 'views' },
)
