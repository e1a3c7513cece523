// The account's orders.
import type { FastifyInstance } from 'fastify'
import { currentUserId, requireUser } from '../auth/guard.ts'
import { renderError } from '../plugins/errors.ts'
import { parseId } from '../shared/ids.ts'
import { findOrder, listOrders } from './orders.ts'

export async function orderRoutes(app: FastifyInstance) {
  app.addHook('preHandler', requireUser)

  app.get('/orders', async (request, reply) => {
    const orders = await listOrders(app.db, currentUserId(request))
    return reply.viewAsync('orders/index', { title: 'Your orders', orders })
  })

  app.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => {
    const id = parseId(request.params.id)
    const order = id === null ? null : await findOrder(app.db, currentUserId(request), id)
    // Another account's order is simply not there for this one: 404, not 403.
    if (order === null) return renderError(reply, 404)
    return reply.viewAsync('orders/show', { title: `Order #${order.id}`, order })
  })
}
