// Where to send a visitor after sign-in. Only a local path is honoured: anything that could leave the
// site (`//host`, `/\host`, a scheme, control characters) becomes the default. Open redirects are how
// phishing borrows a trusted domain.

// One `/`, not followed by a second `/` or a `\` (browsers read both as `//host`), then visible ASCII only,
// with no `\`: a path as a URL writes it. Control characters, spaces and anything beyond ASCII are refused
// too: browsers strip or rewrite some of them, and Node cannot put them in a Location header at all.
const LOCAL_PATH = /^\/(?![/\\])[\x21-\x5b\x5d-\x7e]*$/

export function safeNextPath(next: unknown, fallback = '/account'): string {
  if (typeof next !== 'string' || next.length > 2048 || !LOCAL_PATH.test(next)) return fallback
  // Belt and braces: resolved against any origin, it must stay on that origin.
  const resolved = new URL(next, 'http://shop.invalid')
  return resolved.origin === 'http://shop.invalid' ? next : fallback
}
