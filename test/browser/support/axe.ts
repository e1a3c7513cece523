// Runs axe-core in a page. The script is injected inline, which the shop's CSP (scripts from 'self' only)
// refuses, so pages checked with axe are opened in a context made with `bypassCSP: true`.

import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import type { TestContext } from 'node:test'
import type { AxeResults, Result } from 'axe-core'
import type { Page } from 'playwright-core'

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

export async function runAxe(page: Page): Promise<AxeResults> {
  await page.addScriptTag({ path: AXE_PATH })
  return (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as AxeResults
}

const isSeriousOrWorse = (violation: Result) => violation.impact === 'serious' || violation.impact === 'critical'

/** One line per violation: the rule, its impact and where, so a failure says what to fix. */
function describeViolations(violations: Result[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`)
    .join('\n')
}

/** How a visitor reaches one page, in the state to check. */
export type PageVisit = [name: string, open: (page: Page) => Promise<unknown>]

/** One subtest per page, in order on one page object: no serious or critical violation; the rest is reported. */
export async function checkPages(t: TestContext, page: Page, visits: PageVisit[]): Promise<void> {
  for (const [name, open] of visits) {
    await t.test(name, async (t) => {
      await open(page)
      const { passes, violations } = await runAxe(page)
      t.diagnostic(`axe: ${passes.length} rules passed, ${violations.length} violated`)
      for (const line of describeViolations(violations).split('\n').filter(Boolean)) t.diagnostic(line)
      assert.equal(describeViolations(violations.filter(isSeriousOrWorse)), '')
    })
  }
}
