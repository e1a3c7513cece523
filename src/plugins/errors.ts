// The one error handler: every failure becomes a page with the right status. Details of a 5xx go to the
// log, never to the page: no stack trace, SQL or library message reaches a browser.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { isDatabaseUnavailable } from '../db/errors.ts'
import { fillPageContext } from './page-context.ts'

const MESSAGES: Record<number, string> = {
  400: 'That request could not be understood.',
  403: 'This form has expired or did not come from this site. Go back, reload the page and try again.',
  404: 'There is nothing here.',
  405: 'That is not something this page can do.',
  413: 'That request is too large.',
  414: 'That address is too long.',
  415: 'That kind of content is not accepted here.',
  429: 'Too many attempts. Please wait a while and try again.',
  503: 'The shop cannot reach its database right now. Please try again in a moment.',
}

export const errorsPlugin = fp(
  async (app: FastifyInstance) => {
    // An unknown address is still a page of the shop: its header shows who is signed in and the cart.
    app.setNotFoundHandler({ preHandler: fillPageContext }, (_request, reply) => renderError(reply, 404))

    app.setErrorHandler((error: FastifyError, request, reply) => {
      const status = statusOf(error)
      if (status >= 500) request.log.error({ err: error }, 'request failed')
      else request.log.info({ status, code: error.code }, 'request rejected')
      return renderError(reply, status)
    })
  },
  { name: 'errors' },
)

function statusOf(error: FastifyError): number {
  if (isDatabaseUnavailable(error)) return 503
  const status = error.statusCode ?? 500
  return status >= 400 && status < 500 ? status : 500
}

function errorPage(status: number) {
  const template = status === 404 ? 'errors/not-found' : status >= 500 ? 'errors/server-error' : 'errors/client-error'
  return { template, data: { status, message: MESSAGES[status] ?? 'Something went wrong on our side.' } }
}

export async function renderError(reply: FastifyReply, status: number) {
  reply.code(status)
  if (status === 503) reply.header('retry-after', '5')
  const { template, data } = errorPage(status)
  try {
    return await reply.type('text/html; charset=utf-8').viewAsync(template, data)
  } catch (renderFailure) {
    reply.log.error({ err: renderFailure }, 'error page failed to render')
    return reply.type('text/plain; charset=utf-8').send(data.message)
  }
}

/**
 * For Fastify's router errors (a malformed or overlong URL), which never reach the error handler. Their reply
 * is made before any plugin's decorators apply, so the page is rendered through the app instead.
 */
export async function sendFrameworkError(app: FastifyInstance, error: FastifyError, reply: FastifyReply) {
  const status = error.statusCode ?? 400
  reply.log.info({ code: error.code }, 'request rejected by the router')
  const { template, data } = errorPage(status)
  const page = await app.view(template, data).catch(() => data.message)
  return reply.code(status).type('text/html; charset=utf-8').send(page)
}
