// `npm run db:migrate`: applies pending migrations to DATABASE_URL (start-up does this too).
import { migrate } from '../src/db/migrate.ts'

const url = process.env.DATABASE_URL
if (!url) {
  console.error('DATABASE_URL is not set')
  process.exit(1)
}
const applied = await migrate(url)
console.log(applied.length > 0 ? `applied: ${applied.join(', ')}` : 'nothing to apply')
