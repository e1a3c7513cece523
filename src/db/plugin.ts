// Decorates the app with `app.db` and disconnects it when the app closes.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { closeDb, createDb, type Db } from './client.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
  }
}

export const dbPlugin = fp(
  async (app: FastifyInstance, options: { databaseUrl: string }) => {
    const db = createDb(options.databaseUrl)
    app.decorate('db', db)
    app.addHook('onClose', async () => {
      await closeDb(db)
    })
  },
  { name: 'db' },
)
