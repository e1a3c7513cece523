// Stopping without failing a request. Behind a load balancer an instance that is told to stop first says so
// where the balancer looks (/healthz 503) and goes on serving everything else as usual while the balancer
// notices; then it stops listening, so a late connection is refused (which any proxy retries elsewhere)
// instead of getting an error page; then it answers what it had accepted, and closes.
import type { Server } from 'node:http'
import type { Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyInstance {
    /** True from the moment the instance was asked to stop; /healthz then answers 503. */
    isDraining: boolean
    /** Reports unhealthy, serves on for graceMs, stops listening, waits for every accepted request, closes. */
    drain: () => Promise<void>
  }
}

export const DEFAULT_GRACE_MS = 3000
const MAX_UNREAD_WAIT_MS = 1000

export const drainPlugin = fp(
  async (app: FastifyInstance, options: { graceMs: number }) => {
    const unread = trackUnreadConnections(app.server)
    app.decorate('isDraining', false)
    app.decorate('drain', async () => {
      app.isDraining = true
      await sleep(options.graceMs)
      const isSettled = await stopListening(app.server, unread)
      if (!isSettled) app.log.warn('stopped listening with connections not yet read: their clients get a reset')
      await app.close()
    })
    // While draining, a keep-alive connection closes after its answer: the client's next request opens a new
    // connection, which the balancer sends elsewhere, instead of arriving here just as the listener closes.
    app.addHook('onRequest', async (_request, reply) => {
      if (app.isDraining) reply.header('connection', 'close')
    })
  },
  { name: 'drain' },
)

/** Connections accepted whose first request has not been read yet. */
function trackUnreadConnections(server: Server): Set<Socket> {
  const unread = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    unread.add(socket)
    socket.once('close', () => unread.delete(socket))
  })
  server.on('request', (request) => unread.delete(request.socket))
  return unread
}

/**
 * Closes the listener and resolves once every connection has ended, every accepted request answered; false when
 * a connection accepted had still not sent its request.
 *
 * http.Server#close destroys idle connections, and to Node a connection whose request has not been read yet
 * is idle: its client, which did connect, would get a reset. So the close waits, briefly, until every accepted
 * connection has sent its request, and happens in the same tick as that check, before the event loop can accept
 * another one. (Connections the kernel has completed but the process has not accepted yet are reset when a
 * listening socket closes; with the balancer sending elsewhere by then, there are none.)
 */
async function stopListening(server: Server, unread: Set<Socket>): Promise<boolean> {
  const startedAt = performance.now()
  while (unread.size > 0 && performance.now() - startedAt < MAX_UNREAD_WAIT_MS) await sleep(1)
  const isSettled = unread.size === 0
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return isSettled
}
