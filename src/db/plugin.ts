// Decorates the app with `app.db` (see client.ts) and closes it when the app closes.
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { type Database, openDatabase } from './client.ts'

declare module 'fastify' {
  interface FastifyInstance {
    db: Database
  }
}

export const dbPlugin = fp(
  async (app: FastifyInstance, options: { databaseUrl: string }) => {
    const db = openDatabase(options.databaseUrl)
    app.decorate('db', db)
    app.addHook('onClose', () => db.close())
  },
  { name: 'db' },
)
