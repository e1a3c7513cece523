// The server's resident memory, from /proc/<pid>/status: polled while a scenario runs, since the
// kernel's own high-water mark (VmHWM) covers the whole life of the process.
import { readFileSync } from 'node:fs'

const POLL_MS = 50

function readKiB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)
  return match ? Number(match[1]) : 0
}

export const toMiB = (kib: number) => kib / 1024

export function peakMemoryKiB(pid: number): number {
  return readKiB(pid, 'VmHWM')
}

/** Polls VmRSS until stopped; returns the highest value seen, in KiB. */
export function watchRss(pid: number): { stop: () => number } {
  let peak = readKiB(pid, 'VmRSS')
  const timer = setInterval(() => {
    peak = Math.max(peak, readKiB(pid, 'VmRSS'))
  }, POLL_MS)
  return {
    stop: () => {
      clearInterval(timer)
      return Math.max(peak, readKiB(pid, 'VmRSS'))
    },
  }
}
