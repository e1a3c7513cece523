import { defineConfig } from 'prisma/config'

// Only `prisma generate` runs here (see scripts/no-schema-engine.sh); migrations are applied by
// src/db/migrate.ts. DATABASE_URL is read for tools that need it, such as `prisma studio`.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost/cartwheel' },
})
