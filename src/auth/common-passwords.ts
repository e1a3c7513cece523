// The 10,000 most common passwords, refused wherever a new password is chosen: they are the first guesses
// of every attacker. The list is zxcvbn's (most common first), shipped in its npm package: no network at
// run time. Loaded once at start-up: about 12 MiB of resident memory and a few hundred milliseconds.
import { dictionary } from '@zxcvbn-ts/language-common'

const COMMON_COUNT = 10_000

const common = new Set(dictionary['passwords-common'].slice(0, COMMON_COUNT).map((password) => password.toLowerCase()))

/** Compared without regard to case: `Password1` is as common as `password1`. */
export function isCommonPassword(password: string): boolean {
  return common.has(password.toLowerCase())
}
