// eta templates from views/, compiled once and cached outside development, printed with auto-escaping.
import path from 'node:path'
import fastifyView from '@fastify/view'
import { Eta } from 'eta'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { formatDateTime } from '../shared/dates.ts'
import { formatCents } from '../shared/money.ts'
import { projectRoot } from '../shared/project-root.ts'

const viewsDir = path.join(projectRoot, 'views')

export const viewsPlugin = fp(
  async (app: FastifyInstance, options: { isDevelopment: boolean }) => {
    await app.register(fastifyView, {
      engine: { eta: new Eta({ autoEscape: true }) },
      templates: viewsDir,
      production: !options.isDevelopment,
      // What the layout needs when a page is rendered before the page hooks ran (an early error page).
      defaultContext: {
        viewer: { email: null, cartCount: 0 },
        csrfToken: '',
        flash: null,
        formatCents,
        formatDateTime,
      },
    })
  },
  { name: 'views' },
)
