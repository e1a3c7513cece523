// The browser's JSON answer to a ceremony, checked just enough to look its credential up: the library
// verifies the rest, and anything it cannot read is a failed ceremony (400), never a 5xx.
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import { z } from 'zod'

const answerSchema = z.looseObject({
  id: z.string().min(1).max(1024),
  response: z.looseObject({}),
  /** Sent along by the sign-in and confirm pages: where to go afterwards. */
  next: z.string().max(2048).optional(),
})

export type Answer<T> = { credential: T; next: string | undefined }

function parseAnswer<T>(body: unknown): Answer<T> | null {
  const parsed = answerSchema.safeParse(body)
  if (!parsed.success) return null
  const { next, ...credential } = parsed.data
  return { credential: credential as T, next }
}

export const parseRegistrationAnswer = (body: unknown) => parseAnswer<RegistrationResponseJSON>(body)

export const parseAuthenticationAnswer = (body: unknown) => parseAnswer<AuthenticationResponseJSON>(body)
