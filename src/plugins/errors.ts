// The one error handler: every failure becomes a page with the right status. Details of a 5xx go to the
// log, never to the page: no stack trace, SQL or library message reaches a browser.

import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import fp from 'fastify-plugin'
import { isDatabaseUnavailable } from '../db/errors.ts'
import { isRedisUnavailable } from '../sessions/redis-errors.ts'
import { fillPageContext } from './page-context.ts'

const MESSAGES: Record<number, string> = {
  400: 'That request could not be understood.',
  403: 'This form has expired or did not come from this site. Go back, reload the page and try again.',
  404: 'There is nothing here.',
  405: 'That is not something this page can do.',
  408: 'That request took too long to arrive.',
  413: 'That request is too large.',
  414: 'That address is too long.',
  415: 'That kind of content is not accepted here.',
  429: 'Too many attempts. Please wait a while and try again.',
  431: 'That address, or the headers sent with it, is too long.',
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
  if (isDatabaseUnavailable(error) || isRedisUnavailable(error)) return 503
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

type Headers = Readonly<Record<string, string>>

/**
 * For Fastify's router errors (a malformed URL), which never reach the error handler. Their reply is made
 * before any plugin's hooks and decorators apply, so the page is rendered through the app instead, and the
 * security headers are set here.
 */
export async function sendFrameworkError(
  app: FastifyInstance,
  error: FastifyError,
  reply: FastifyReply,
  headers: Headers,
) {
  const status = error.statusCode ?? 400
  reply.log.info({ code: error.code }, 'request rejected by the router')
  const { template, data } = errorPage(status)
  const page = await app.view(template, data).catch(() => data.message)
  return reply.code(status).headers(headers).type('text/html; charset=utf-8').send(page)
}

/**
 * For what Node's HTTP parser refuses before there is a request at all (a head over its 16 KiB limit, a
 * malformed request line): written straight to the socket, but still the shop's page with its headers.
 */
export async function sendClientError(
  app: FastifyInstance,
  error: NodeJS.ErrnoException,
  socket: Duplex,
  headers: Headers,
) {
  if (error.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return
  answered.add(socket)
  const status = CLIENT_ERROR_STATUS[error.code ?? ''] ?? 400
  app.log.info({ code: error.code, status }, 'request rejected by the HTTP parser')
  const { template, data } = errorPage(status)
  const page = Buffer.from(await app.view(template, data).catch(() => data.message))
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    ...Object.entries({ ...headers, 'content-type': 'text/html; charset=utf-8', connection: 'close' }).map(
      ([name, value]) => `${name}: ${value}`,
    ),
    `content-length: ${page.length}`,
  ]
  if (!socket.writable) return socket.destroy()
  // The rest of the request is read and dropped: closing with it unread would reset the connection, and the
  // reset can overtake the answer. A client that never stops sending is cut off.
  socket.on('data', () => {})
  socket.resume()
  socket.end(Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`), page]))
  setTimeout(() => socket.destroy(), CLIENT_ERROR_DRAIN_MS).unref()
}

const CLIENT_ERROR_STATUS: Record<string, number> = { HPE_HEADER_OVERFLOW: 431, ERR_HTTP_REQUEST_TIMEOUT: 408 }
const CLIENT_ERROR_DRAIN_MS = 5000
// Node's parser may report more than one error for one connection; the first is answered.
const answered = new WeakSet<Duplex>()
