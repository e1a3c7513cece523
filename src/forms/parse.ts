// Forms, parsed by schema: one zod schema per form, next to its route, parsed in one line. The schema's
// messages are the per-field messages the template shows; the rule for text lives here, once.
import { z } from 'zod'

// A control character (U+0000-U+001F, U+007F) has no business in a form field, and PostgreSQL refuses NUL in
// text outright. U+FFFD is what a body that was not valid UTF-8 decodes to.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is this pattern's job.
const NOT_TEXT = /[\u0000-\u001f\u007f\ufffd]/

/**
 * A text field: a missing field reads as empty; anything but one string (a repeated field arrives as an
 * array), or a string with a control character or invalid UTF-8, fails with `message`.
 */
export function textField(message: string) {
  return z.preprocess(
    (value) => value ?? '',
    z.string({ error: message }).refine((value) => !NOT_TEXT.test(value), { error: message }),
  )
}

export type FormValues = Record<string, string>

export type ParsedForm<T> = { ok: true; data: T } | { ok: false; values: FormValues; messages: Record<string, string> }

/**
 * Parses a form body. On failure: the values to show again (strings only, and never a field whose name says
 * it holds a password or a code) and the first message for each field that failed.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): ParsedForm<z.infer<S>> {
  const parsed = schema.safeParse(body ?? {})
  if (parsed.success) return { ok: true, data: parsed.data }
  const messages: Record<string, string> = {}
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? 'form')
    messages[field] ??= issue.message
  }
  return { ok: false, values: valuesToKeep(body), messages }
}

/** What a form shows again after a refusal: every text value but secrets. */
export function valuesToKeep(body: unknown): FormValues {
  const values: FormValues = {}
  if (typeof body !== 'object' || body === null) return values
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string' && !/password|code|_csrf/i.test(name) && !NOT_TEXT.test(value)) values[name] = value
  }
  return values
}
