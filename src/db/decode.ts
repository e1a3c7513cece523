// Row decoders for the direct path (sql.ts): each column is checked as it is read, so a changed query or
// schema fails loudly at the first row instead of passing a string where a Date was promised.
export type RawRow = Record<string, unknown>

function fail(name: string, expected: string, value: unknown): never {
  throw new TypeError(`column ${name}: expected ${expected}, got ${value === null ? 'null' : typeof value}`)
}

export function int(row: RawRow, name: string): number {
  const value = row[name]
  return typeof value === 'number' && Number.isInteger(value) ? value : fail(name, 'an integer', value)
}

export function intOrNull(row: RawRow, name: string): number | null {
  return row[name] === null ? null : int(row, name)
}

export function text(row: RawRow, name: string): string {
  const value = row[name]
  return typeof value === 'string' ? value : fail(name, 'text', value)
}

export function textOrNull(row: RawRow, name: string): string | null {
  return row[name] === null ? null : text(row, name)
}

export function bool(row: RawRow, name: string): boolean {
  const value = row[name]
  return typeof value === 'boolean' ? value : fail(name, 'a boolean', value)
}

/** A timestamp: the adapter sends it as an ISO string, the Prisma path as a Date; both become a Date. */
export function date(row: RawRow, name: string): Date {
  const value = row[name]
  const parsed = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null
  return parsed !== null && !Number.isNaN(parsed.getTime()) ? parsed : fail(name, 'a timestamp', value)
}

export function dateOrNull(row: RawRow, name: string): Date | null {
  return row[name] === null ? null : date(row, name)
}

/** An int[] column. */
export function intArray(row: RawRow, name: string): number[] {
  const value = row[name]
  const isInts = Array.isArray(value) && value.every((item) => typeof item === 'number' && Number.isInteger(item))
  return isInts ? value : fail(name, 'an array of integers', value)
}

/** A jsonb column: the adapter sends it as text. */
export function json(row: RawRow, name: string): unknown {
  const value = row[name]
  if (typeof value === 'string') return JSON.parse(value)
  return typeof value === 'object' && value !== null ? value : fail(name, 'JSON', value)
}
