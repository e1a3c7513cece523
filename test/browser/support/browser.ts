// Debian's Chromium (`apt-get install chromium`) driven by playwright-core: Playwright's own browser
// downloads are not reachable here.
import { type Browser, chromium } from 'playwright-core'

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
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
