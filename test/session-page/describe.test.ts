import assert from 'node:assert/strict'
import { test } from 'node:test'
import { endingOf } from '../../src/session-page/describe.ts'
import { formatDuration, formatTimeUntil } from '../../src/session-page/durations.ts'

const LIFETIMES = { idleSeconds: 1800, maxSeconds: 43_200, rememberMaxSeconds: 2_592_000 }
const at = (time: string) => new Date(`2026-01-15T${time}Z`)

function session(lastSeen: string, isRemembered = false) {
  const createdAt = at('10:00:00')
  const lifetime = isRemembered ? LIFETIMES.rememberMaxSeconds : LIFETIMES.maxSeconds
  const expiresAt = new Date(createdAt.getTime() + lifetime * 1000)
  return { stored: { createdAt, lastSeenAt: at(lastSeen), expiresAt }, isRemembered, email: null }
}

test('a session not remembered ends at its idle limit while that comes before its absolute end', () => {
  assert.deepEqual(endingOf(session('12:00:00'), LIFETIMES), { at: at('12:30:00'), reason: 'idle' })
})

test('a session active until near its absolute end ends at the absolute limit', () => {
  assert.deepEqual(endingOf(session('21:45:00'), LIFETIMES), { at: at('22:00:00'), reason: 'absolute' })
})

test('a remembered session has no idle limit: it ends at its remember limit however long ago it was seen', () => {
  const ending = endingOf(session('10:00:00', true), LIFETIMES)
  assert.deepEqual(ending, { at: new Date('2026-02-14T10:00:00Z'), reason: 'remember' })
})

test('lifetimes read as their two largest units', () => {
  assert.equal(formatDuration(1800), '30 minutes')
  assert.equal(formatDuration(43_200), '12 hours')
  assert.equal(formatDuration(2_592_000), '30 days')
  assert.equal(formatDuration(90_061), '1 day 1 hour')
  assert.equal(formatDuration(6), '6 seconds')
})

test('the time left is counted in whole minutes', () => {
  assert.equal(formatTimeUntil(at('10:29:59'), at('10:00:00')), 'in 29 minutes')
  assert.equal(formatTimeUntil(at('10:00:30'), at('10:00:00')), 'in less than a minute')
})
