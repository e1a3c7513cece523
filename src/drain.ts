// Shutting down without losing a request: whoever the shop has taken gets an answer, whoever comes late
// hears that it is closing.
import type { Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'

const QUIET_MS = 200
const MAX_DRAIN_MS = 5000

/**
 * On close, keeps the listening socket open until connections have stopped arriving (QUIET_MS without a new
 * one) and every connection taken has sent its request, at most MAX_DRAIN_MS. Meanwhile the app is closing:
 * requests being handled finish, and every later one gets a 503 with `Connection: close` (Fastify's
 * return503OnClosing), a refusal that a client or a load balancer can act on. Closing the listener at once
 * would reset the connections still in the kernel's accept queue, and http.Server#close also destroys
 * accepted connections whose request has not been read yet: either way a client that sent a request gets a
 * reset, not an answer (test/faults/sigterm.test.ts).
 */
export function drainBeforeClosing(app: FastifyInstance): void {
  const unread = new Set<Socket>()
  let lastConnectionAt = performance.now()
  app.server.on('connection', (socket: Socket) => {
    lastConnectionAt = performance.now()
    unread.add(socket)
    socket.once('close', () => unread.delete(socket))
  })
  app.server.on('request', (request) => unread.delete(request.socket))
  app.addHook('preClose', async () => {
    const startedAt = performance.now()
    const isSettled = () => unread.size === 0 && performance.now() - lastConnectionAt >= QUIET_MS
    while (!isSettled() && performance.now() - startedAt < MAX_DRAIN_MS) await sleep(20)
  })
}
