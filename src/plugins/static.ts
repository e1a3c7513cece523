// Files from public/ under /static/: the stylesheet and the product pictures.
import path from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { projectRoot } from '../shared/project-root.ts'

export const staticPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(fastifyStatic, {
      root: path.join(projectRoot, 'public'),
      prefix: '/static/',
      maxAge: '1h',
    })
  },
  { name: 'static' },
)
