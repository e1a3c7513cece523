// How times are shown on pages: one format, in UTC, so every instance shows the same.
const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })

export function formatDateTime(date: Date): string {
  return `${dateTime.format(date)} UTC`
}
