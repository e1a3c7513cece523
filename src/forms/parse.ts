// Forms, parsed by schema: one zod schema per form, next to its route, parsed in one line. The schema's
// messages are the per-field messages the template shows; the rule for text lives here, once.
import { z } from 'zod'

// A control character (U+0000-U+001F, U+007F) has no business in a form field, and PostgreSQL refuses NUL in
// text outright. U+FFFD is what a body that was not valid UTF-8 decodes to (see parseFormBody); a lone
// surrogate is what a JSON body's `"\ud800"` does, and no UTF-8 can encode it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const NOT_TEXT = /[\u0000-\u001f\u007f\ufffd\p{Cs}]/u

/**
 * A urlencoded body as browsers read one (WHATWG): a percent-encoding that is not UTF-8 decodes to U+FFFD,
 * which the text rule refuses. @fastify/formbody's default parser leaves such a value undecoded instead
 * (`%FF` stays `%FF`), and it would pass for text. A repeated field becomes an array.
 */
export function parseFormBody(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null)
  for (const [name, value] of new URLSearchParams(body)) {
    const seen = fields[name]
    if (seen === undefined) fields[name] = value
    else if (Array.isArray(seen)) seen.push(value)
    else fields[name] = [seen, value]
  }
  return fields
}

/**
 * A text field: a missing field reads as empty; anything but one string (a repeated field arrives as an
 * array) fails with `message`, and a string with a control character or invalid UTF-8 with `notTextMessage`.
 */
export function textField(message: string, notTextMessage = message) {
  return z.preprocess(
    (value) => value ?? '',
    z.string({ error: message }).refine((value) => !NOT_TEXT.test(value), { error: notTextMessage, abort: true }),
  )
}

export type FormValues = Record<string, string>

export type ParsedForm<T> = { ok: true; data: T } | { ok: false; values: FormValues; messages: Record<string, string> }

/**
 * Parses a form body. On failure: the values to show again (strings only, and never a field whose name says
 * it holds a password or a code) and the first message for each field that failed.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): ParsedForm<z.infer<S>> {
  // A body that is no set of fields (a JSON array, plain text) reads as an empty form: each field says what it lacks.
  const parsed = schema.safeParse(isFields(body) ? body : {})
  if (parsed.success) return { ok: true, data: parsed.data }
  const messages: Record<string, string> = {}
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'form')
    messages[field] ??= issue.message
  }
  return { ok: false, values: valuesToKeep(body), messages }
}

const isFields = (body: unknown): body is Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body)

/** What a form shows again after a refusal: every text value but secrets. */
export function valuesToKeep(body: unknown): FormValues {
  const values: FormValues = {}
  if (!isFields(body)) return values
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string' && !/password|code|_csrf/i.test(name) && !NOT_TEXT.test(value)) values[name] = value
  }
  return values
}
