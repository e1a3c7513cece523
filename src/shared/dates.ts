// How times are shown on pages: one format, in UTC, so every instance shows the same.
const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })

export function formatDateTime(date: Date): string {
  return `${dateTime.format(date)} UTC`
}

/** "24 hours", "30 minutes": how long a mailed link lasts, as the mail and the pages say it. */
export function describeSeconds(seconds: number): string {
  const [amount, unit] = seconds % 3600 === 0 ? [seconds / 3600, 'hour'] : [Math.ceil(seconds / 60), 'minute']
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`
}
