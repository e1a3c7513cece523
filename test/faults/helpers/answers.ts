// What the fault tests check about the shop's answers: how long until they come right, and what they never show.
import { setTimeout as sleep } from 'node:timers/promises'
import type { Page } from '../../helpers/visitor.ts'

export function elapsed(startedAt: number): number {
  return Math.round(performance.now() - startedAt)
}

/** Repeats the request until `isDone` says so: how long that took, and every answer on the way. */
export async function repeatUntil(
  request: () => Promise<Page>,
  isDone: (page: Page) => boolean,
  boundMs: number,
): Promise<{ ms: number; pages: Page[] }> {
  const started = performance.now()
  const pages: Page[] = []
  while (elapsed(started) < boundMs) {
    const page = await request()
    pages.push(page)
    if (isDone(page)) return { ms: elapsed(started), pages }
    await sleep(100)
  }
  throw new Error(`not done within ${boundMs} ms; answers: ${pages.map((page) => page.status).join(' ')}`)
}

/** What must never reach a browser: a stack trace, SQL, or a library's own error text. */
export const LEAK =
  /\bat [\w.<>]+ \(|\.ts:\d+|node_modules|\bSELECT\b|\bINSERT\b|\bUPDATE "|Prisma|P\d{4}\b|FST_ERR|ECONN|pg_/
