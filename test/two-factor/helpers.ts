// Two-factor for tests, as a visitor meets it: the set-up page's secret read off the page, codes computed from
// it with otpauth (not the shop's own code), the recovery codes read off the page that shows them once.
import assert from 'node:assert/strict'
import { Secret, TOTP } from 'otpauth'
import type { TestClock } from '../helpers/app.ts'
import { findForm, type Visitor } from '../helpers/visitor.ts'

/** The TOTP code of `secret` at `now`, `stepsAway` 30-second steps from it. */
export function totpCode(secret: string, now: Date, stepsAway = 0): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: now.getTime() + stepsAway * 30_000 })
}

export function secretOf(html: string): string {
  const secret = /id="totp-secret">([A-Z2-7]+)</.exec(html)?.[1]
  assert.ok(secret !== undefined, 'the set-up page shows the secret as text')
  return secret
}

/** The recovery codes of a page that shows them: one per line. */
export function recoveryCodesOf(html: string): string[] {
  const block = /<pre class="recovery-codes"[^>]*>([\s\S]*?)<\/pre>/.exec(html)?.[1] ?? ''
  return block.split('\n').filter((line) => line.trim() !== '')
}

/** Opens /account/two-factor, sets it up and posts the form of the set-up page with `fields`. */
export async function setUp(visit: Visitor) {
  const setup = await visit.submit('/account/two-factor', {}, '/account/two-factor/setup')
  assert.equal(setup.statusCode, 200)
  const form = findForm(setup.body, '/account/two-factor/enable')
  assert.ok(form !== undefined, 'the set-up page has a form for the code')
  return { setup, secret: secretOf(setup.body), enableFields: form.fields }
}

/**
 * Sets up and turns on two-factor for a signed-in visitor; the clock then moves on a step, since the code that
 * turned it on counts as used.
 */
export async function turnOn(visit: Visitor & { clock: TestClock }) {
  const { secret, enableFields } = await setUp(visit)
  const res = await visit.post('/account/two-factor/enable', {
    ...enableFields,
    code: totpCode(secret, visit.clock.now()),
  })
  assert.equal(res.statusCode, 200)
  visit.clock.advance(30)
  return { secret, recoveryCodes: recoveryCodesOf(res.body), page: res }
}
