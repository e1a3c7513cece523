// The ceiling for sign-in: raw argon2id verifications per second with the shop's parameters
// (src/auth/passwords.ts), kept `concurrency` deep on libuv's thread pool as the sign-in scenario is, and
// without the shop's own limit of one hash per core.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import argon2 from 'argon2'
import { HASH_OPTIONS } from '../src/auth/passwords.ts'

/**
 * `loopDelayMaxMs` is this process's event-loop delay meanwhile: what hashing on the thread pool costs the
 * main thread on this machine (CPU contention, not blocking), to set beside the shop's during sign-in.
 */
export type Argon2Ceiling = { rate: number; cpuMicrosPerVerify: number; loopDelayMaxMs: number }

export async function measureArgon2(seconds: number, concurrency: number): Promise<Argon2Ceiling> {
  const password = 'correct horse battery staple'
  const hash = await argon2.hash(password, HASH_OPTIONS)
  await argon2.verify(hash, password)
  const end = performance.now() + seconds * 1000
  let verified = 0
  const worker = async () => {
    while (performance.now() < end) {
      if (!(await argon2.verify(hash, password))) throw new Error('argon2 verify failed')
      verified++
    }
  }
  const start = performance.now()
  // This process does nothing else meanwhile: its CPU time is the hashing's.
  const cpuAtStart = process.cpuUsage()
  const loopDelay = monitorEventLoopDelay({ resolution: 5 })
  loopDelay.enable()
  await Promise.all(Array.from({ length: concurrency }, worker))
  loopDelay.disable()
  const cpu = process.cpuUsage(cpuAtStart)
  return {
    rate: verified / ((performance.now() - start) / 1000),
    cpuMicrosPerVerify: (cpu.user + cpu.system) / verified,
    loopDelayMaxMs: loopDelay.max / 1e6,
  }
}
