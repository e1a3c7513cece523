// Lifetimes as a person reads them: "30 minutes", "1 day 6 hours".
const UNITS: [name: string, seconds: number][] = [
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
  ['second', 1],
]

/** The two largest non-zero units of a length of time, e.g. "12 hours" or "1 day 6 hours". */
export function formatDuration(seconds: number): string {
  const parts: string[] = []
  let rest = Math.round(seconds)
  for (const [name, size] of UNITS) {
    const count = Math.floor(rest / size)
    rest -= count * size
    if (count > 0) parts.push(`${count} ${name}${count === 1 ? '' : 's'}`)
    if (parts.length === 2) break
  }
  return parts.join(' ') || '0 seconds'
}

/** How far ahead `then` is, to the minute: "in 29 minutes", or "in less than a minute". */
export function formatTimeUntil(then: Date, now: Date): string {
  const minutes = Math.floor((then.getTime() - now.getTime()) / 60_000)
  return minutes < 1 ? 'in less than a minute' : `in ${formatDuration(minutes * 60)}`
}
