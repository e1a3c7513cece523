// The 10,000 most common passwords, refused wherever a new password is chosen: they are the first guesses
// of every attacker. The list is zxcvbn's (most common first), shipped in its npm package: no network at
// run time. Loaded at the first password chosen, not at start-up: the package unpacks all 49,000 of its
// passwords, and the heap that grows for it stays grown (the shop's idle memory was 4–6 MiB higher with the
// list loaded at start-up), while most requests never choose a password. The first check takes about 60 ms,
// once; it loads synchronously (require) so that a form's schema can ask without awaiting.
import { createRequire } from 'node:module'

const COMMON_COUNT = 10_000

let common: Set<string> | undefined

function commonPasswords(): Set<string> {
  if (!common) {
    const { dictionary }: typeof import('@zxcvbn-ts/language-common') = createRequire(import.meta.url)(
      '@zxcvbn-ts/language-common',
    )
    common = new Set(dictionary['passwords-common'].slice(0, COMMON_COUNT).map((password) => password.toLowerCase()))
  }
  return common
}

/** Compared without regard to case: `Password1` is as common as `password1`. */
export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase())
}
