// Where to send a visitor after sign-in. Only a local path is honoured: anything that could leave the
// site (`//host`, `/\host`, a scheme, control characters) becomes the default. Open redirects are how
// phishing borrows a trusted domain.
const LOCAL_PATH = /^\/(?![/\\])[^\\]*$/
const hasControlCharacter = (text: string) => [...text].some((char) => char.charCodeAt(0) < 0x20 || char === '\u007f')

export function safeNextPath(next: unknown, fallback = '/account'): string {
  if (typeof next !== 'string' || next.length > 2048 || !LOCAL_PATH.test(next) || hasControlCharacter(next))
    return fallback
  // Belt and braces: resolved against any origin, it must stay on that origin.
  const resolved = new URL(next, 'http://shop.invalid')
  return resolved.origin === 'http://shop.invalid' ? next : fallback
}
