// Numeric ids as they appear in URLs and forms: decimal digits within PostgreSQL's INT range, else null.
const INT_MAX = 2_147_483_647

export function parseId(text: unknown): number | null {
  if (typeof text !== 'string' || !/^[1-9]\d{0,9}$/.test(text)) return null
  const id = Number(text)
  return id <= INT_MAX ? id : null
}
