// CSRF protection for every POST: a token in the form's hidden `_csrf` field (a JSON POST: the X-CSRF-Token
// header), checked against a random secret kept in a signed, HttpOnly cookie (`csrf`; `__Host-csrf` in
// production), the one cookie beside the session's. Keeping the secret in a cookie means a visitor who only
// browses costs no database write, and any instance can check any token. Tokens come from @fastify/csrf.
import { Signer } from '@fastify/cookie'
import Tokens from '@fastify/csrf'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { nanoid } from 'nanoid'
import { keysFor } from './secrets.ts'

declare module 'fastify' {
  interface FastifyInstance {
    csrf: CsrfGuard
  }
  interface Session {
    /** A guest session's token binding: the one the browser's forms had when the session began. */
    csrfBinding?: string
  }
}

/** The cookie's two random parts: the tokens' secret, and the binding of a guest who has no session yet. */
type RequestSession = FastifyRequest['session']

type CsrfCookie = { secret: string; guestBinding: string; isRenewed: boolean }

class CsrfRefused extends Error {
  readonly statusCode = 403
  readonly code = 'CSRF_REFUSED'
}

class CsrfGuard {
  readonly #cookies = new WeakMap<FastifyRequest, CsrfCookie | null>()
  readonly #tokens: Tokens.TokensUserinfo[]
  readonly #signer: Signer

  constructor(
    secrets: readonly string[],
    readonly cookieName: string,
    private readonly cookieOptions: { secure: boolean },
  ) {
    // The first key makes tokens; the retiring ones still verify them.
    this.#tokens = keysFor(secrets, 'csrf token').map((hmacKey) => Tokens({ userInfo: true, hmacKey }))
    this.#signer = new Signer(keysFor(secrets, 'csrf cookie'))
  }

  tokenFor(request: FastifyRequest, reply: FastifyReply): string {
    const cookie = this.cookieOf(request) ?? this.issue(request, reply, randomPart())
    return (this.#tokens[0] as Tokens.TokensUserinfo).create(cookie.secret, bindingOf(request.session, cookie))
  }

  isValid(request: FastifyRequest): boolean {
    const cookie = this.cookieOf(request)
    // A JSON POST (the passkey pages' scripts) carries its token in X-CSRF-Token, a form in its `_csrf` field.
    const isJson = request.headers['content-type']?.startsWith('application/json') === true
    const token = isJson ? request.headers['x-csrf-token'] : (request.body as { _csrf?: unknown } | undefined)?._csrf
    if (cookie === null || typeof token !== 'string') return false
    const binding = bindingOf(request.session, cookie)
    return this.#tokens.some((tokens) => tokens.verify(cookie.secret, token, binding))
  }

  /**
   * Call before a guest's session is first stored: the session takes over the cookie's guest binding, so the
   * forms this guest opened before it began (their tokens bound to the cookie) keep working in it.
   */
  carryGuestBinding(request: FastifyRequest): void {
    const { session } = request
    if (session.userId !== undefined || session.stored !== undefined || session.isSaved()) return
    session.csrfBinding = this.cookieOf(request)?.guestBinding
  }

  /** On send: a cookie signed with a retiring secret is signed again; a used guest binding is replaced. */
  settle(request: FastifyRequest, reply: FastifyReply): void {
    const session = request.session as RequestSession | null | undefined
    // The store could not load it (the database is down): @fastify/session leaves a bare object; nothing changed.
    if (session !== null && typeof session?.isSaved !== 'function') return
    // A session began (its tokens now have their own binding) or ended: the next guest session must not share
    // a binding with one before it, or an old page's token would work in it.
    const isSpent = session === null || (session.isSaved() && session.stored === undefined)
    const cookie = isSpent || this.#tokens.length > 1 ? this.cookieOf(request) : null
    if (cookie === null) return
    if (isSpent) this.issue(request, reply, cookie.secret)
    else if (cookie.isRenewed) this.setCookie(reply, `${cookie.secret}.${cookie.guestBinding}`)
  }

  private cookieOf(request: FastifyRequest): CsrfCookie | null {
    let cookie = this.#cookies.get(request)
    if (cookie === undefined) {
      const value = request.cookies[this.cookieName]
      const unsigned = value === undefined ? null : this.#signer.unsign(value)
      const [secret, guestBinding, ...rest] = unsigned?.value?.split('.') ?? []
      const isWellFormed = secret && guestBinding && rest.length === 0
      cookie = isWellFormed ? { secret, guestBinding, isRenewed: unsigned?.renew === true } : null
      this.#cookies.set(request, cookie)
    }
    return cookie
  }

  private issue(request: FastifyRequest, reply: FastifyReply, secret: string): CsrfCookie {
    const cookie = { secret, guestBinding: randomPart(), isRenewed: false }
    this.#cookies.set(request, cookie)
    this.setCookie(reply, `${cookie.secret}.${cookie.guestBinding}`)
    return cookie
  }

  private setCookie(reply: FastifyReply, value: string) {
    const options = { httpOnly: true, sameSite: 'lax', path: '/', secure: this.cookieOptions.secure } as const
    reply.setCookie(this.cookieName, this.#signer.sign(value), options)
  }
}

/**
 * 144 random bits (24 characters of 6 bits), in characters a cookie and the `.` between the parts leave alone.
 * nanoid draws them from a pool filled by the system's CSPRNG 128 ids at a time: a first-time guest needs two,
 * and asking the CSPRNG for 18 bytes twice per page was a fifth of the guest catalog's CPU (6 µs a call here).
 */
const randomPart = () => nanoid(24)

// A signed-in session's tokens are bound to it: signing in or out makes the old ones worthless, and a token of
// an earlier session of the same account is no good in a later one. A guest's are bound to a random value: the
// cookie's until a session begins, then the one that session took over (see csrfBinding).
function bindingOf(session: RequestSession, cookie: CsrfCookie): string {
  if (session.userId !== undefined) return `session:${session.sessionId}`
  if (session.stored === undefined && !session.isSaved()) return `guest:${cookie.guestBinding}`
  return session.csrfBinding === undefined ? `session:${session.sessionId}` : `guest:${session.csrfBinding}`
}

export const csrfPlugin = fp(
  async (app: FastifyInstance, options: { isSecureCookie: boolean; secrets: readonly string[] }) => {
    const cookieName = options.isSecureCookie ? '__Host-csrf' : 'csrf'
    const guard = new CsrfGuard(options.secrets, cookieName, { secure: options.isSecureCookie })
    app.decorate('csrf', guard)
    app.addHook('preHandler', async (request) => {
      if (request.method === 'POST' && !guard.isValid(request)) throw new CsrfRefused('no valid CSRF token')
    })
    app.addHook('onSend', async (request, reply) => guard.settle(request, reply))
  },
  { name: 'csrf', dependencies: ['session'] },
)

/** The token for a page's forms. */
export function csrfTokenFor(request: FastifyRequest, reply: FastifyReply): string {
  return request.server.csrf.tokenFor(request, reply)
}
