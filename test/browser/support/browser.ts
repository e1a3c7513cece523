// Debian's Chromium (`apt-get install chromium`) driven by playwright-core: Playwright's own browser
// downloads are not reachable here.
import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

const CHROMIUM = '/usr/bin/chromium'

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`the browser suite needs Debian's Chromium: apt-get install chromium`)
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // No sandbox: CI runs as root in a container. The rest keeps Chromium from calling home during a run.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  })
}
