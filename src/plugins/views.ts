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
import { isPlainGuest } from './page-context.ts'

declare module 'fastify' {
  interface FastifyReply {
    /**
     * viewAsync for a page whose data depends on `version` alone (an object replaced whenever that data
     * changes). Every plain guest (see page-context.ts) sees the same page but for the CSRF token, so it is
     * rendered once per version and the token spliced in; anyone else gets it rendered as usual.
     */
    viewForGuests(page: string, data: Record<string, unknown>, version: object): Promise<string>
  }
}

const viewsDir = path.join(projectRoot, 'views')

// Printed where the token goes: hex is left as it is by HTML escaping and never occurs in a page by chance.
const TOKEN_PLACEHOLDER = randomBytes(16).toString('hex')

/**
 * eta works out a template's file path again on every render and include (a dozen per catalog page), building
 * a JSON key for its own path cache each time. The answer depends only on the two strings, which come from
 * the code (never from a request), so it is kept.
 */
function createTemplates(): Eta {
  const eta = new Eta({ autoEscape: true, cacheFilepaths: false })
  const resolveOnce = eta.resolvePath
  const paths = new Map<string, string>()
  eta.resolvePath = function resolvePath(template, options) {
    const key = `${options?.filepath ?? ''}\0${template}`
    let resolved = paths.get(key)
    if (resolved === undefined) {
      resolved = resolveOnce.call(this, template, options)
      paths.set(key, resolved)
    }
    return resolved
  }
  return eta
}

export const viewsPlugin = fp(
  async (app: FastifyInstance, options: { isDevelopment: boolean; hasMailbox: boolean }) => {
    await app.register(fastifyView, {
      engine: { eta: createTemplates() },
      templates: viewsDir,
      production: !options.isDevelopment,
      // What the layout needs when a page is rendered before the page hooks ran (an early error page).
      defaultContext: {
        viewer: { email: null, cartCount: 0 },
        csrfToken: '',
        flash: null,
        formatCents,
        formatDateTime,
        hasMailbox: options.hasMailbox,
      },
    })

    // version -> page -> the rendered page cut at the token; a version's pages go when the version does.
    const guestPages = new WeakMap<object, Map<string, string[]>>()
    app.decorateReply(
      'viewForGuests',
      async function viewForGuests(this: FastifyReply, page: string, data: Record<string, unknown>, version: object) {
        // In development templates are read again on every render, so that an edit shows at once.
        if (options.isDevelopment || !isPlainGuest(this.locals)) return this.viewAsync(page, data)
        let pages = guestPages.get(version)
        if (pages === undefined) {
          pages = new Map()
          guestPages.set(version, pages)
        }
        let parts = pages.get(page)
        if (parts === undefined) {
          parts = (await this.viewAsync(page, { ...data, csrfToken: TOKEN_PLACEHOLDER })).split(TOKEN_PLACEHOLDER)
          pages.set(page, parts)
        }
        this.type('text/html; charset=utf-8')
        return parts.join(this.locals.csrfToken as string)
      },
    )
  },
  { name: 'views' },
)
