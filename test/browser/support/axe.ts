// Runs axe-core in a page. The script is injected inline, which the shop's CSP (scripts from 'self' only)
// refuses, so pages checked with axe are opened in a context made with `bypassCSP: true`.
import { createRequire } from 'node:module'
import type { AxeResults, Result } from 'axe-core'
import type { Page } from 'playwright-core'

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

export async function runAxe(page: Page): Promise<AxeResults> {
  await page.addScriptTag({ path: AXE_PATH })
  return (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as AxeResults
}

export const isSeriousOrWorse = (violation: Result) => violation.impact === 'serious' || violation.impact === 'critical'

/** One line per violation: the rule, its impact and where, so a failure says what to fix. */
export function describeViolations(violations: Result[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((node) => node.target.join(' ')).join(', ')}`)
    .join('\n')
}
