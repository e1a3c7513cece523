// The ceiling for sign-in: argon2id verifications per second with the shop's own parameters and code
// (src/auth/passwords.ts), kept `concurrency` deep on libuv's thread pool as the sign-in scenario is.
import { hashPassword, verifyPassword } from '../src/auth/passwords.ts'

export async function measureArgon2(seconds: number, concurrency: number): Promise<number> {
  const hash = await hashPassword('correct horse battery staple')
  await verifyPassword(hash, 'correct horse battery staple')
  const end = performance.now() + seconds * 1000
  let verified = 0
  const worker = async () => {
    while (performance.now() < end) {
      if (!(await verifyPassword(hash, 'correct horse battery staple'))) throw new Error('argon2 verify failed')
      verified++
    }
  }
  const start = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  return verified / ((performance.now() - start) / 1000)
}
