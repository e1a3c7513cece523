// buildApp(config): every plugin and route module, registered in order, in one place.
import { maxHeaderSize } from 'node:http'
import formBody from '@fastify/formbody'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { deleteAccountRoutes } from './account/delete-routes.ts'
import { emailRoutes } from './account/email-routes.ts'
import { accountRoutes } from './account/routes.ts'
import { resetRoutes } from './auth/reset-routes.ts'
import { authRoutes } from './auth/routes.ts'
import { cartRoutes } from './cart/routes.ts'
import { catalogRoutes } from './catalog/routes.ts'
import type { Config } from './config.ts'
import { confirmRoutes } from './confirm/routes.ts'
import { dbPlugin } from './db/plugin.ts'
import { DEFAULT_GRACE_MS, drainPlugin } from './drain.ts'
import { emailVerifyRoutes } from './email-verify/routes.ts'
import { parseFormBody } from './forms/parse.ts'
import { healthRoutes } from './health/routes.ts'
import { type MailPluginOptions, mailPlugin } from './mail/plugin.ts'
import { mailboxRoutes } from './mail/routes.ts'
import { orderRoutes } from './orders/routes.ts'
import { relyingPartyOf } from './passkeys/ceremony.ts'
import { passkeyRoutes } from './passkeys/routes.ts'
import { passkeySignInRoutes } from './passkeys/sign-in-routes.ts'
import { cacheControlPlugin } from './plugins/cache-control.ts'
import { csrfPlugin } from './plugins/csrf.ts'
import { errorsPlugin, sendClientError, sendFrameworkError } from './plugins/errors.ts'
import { housekeepingPlugin } from './plugins/housekeeping.ts'
import { fillPageContext } from './plugins/page-context.ts'
import { keysFor } from './plugins/secrets.ts'
import { securityHeaders, securityHeadersPlugin } from './plugins/security-headers.ts'
import { sessionPlugin } from './plugins/session.ts'
import { staticPlugin } from './plugins/static.ts'
import { viewsPlugin } from './plugins/views.ts'
import { OneLinePerRequest } from './request-log.ts'
import { originFormOf } from './request-target.ts'
import { sessionPageRoutes } from './session-page/routes.ts'
import { sessionsPlugin } from './sessions/plugin.ts'
import { type Clock, systemClock } from './shared/clock.ts'
import { twoFactorRoutes } from './two-factor/routes.ts'
import { twoFactorSignInRoutes } from './two-factor/sign-in-routes.ts'

export type AppConfig = Config & { databaseUrl: string; sessionSecret: string }

export type AppOptions = {
  clock?: Clock
  logger?: FastifyServerOptions['logger']
  /** Test settings for the outbox sender (shorter lease and retries). */
  mailSender?: MailPluginOptions['sender']
  /** How long a stopping instance serves on after /healthz turns 503, for balancers to notice. */
  drainGraceMs?: number
  /** With SESSION_REDIS_URL: what every key begins with (each test database has its own). */
  redisKeyPrefix?: string
}

export async function buildApp(config: AppConfig, options: AppOptions = {}): Promise<FastifyInstance> {
  const headers = securityHeaders(config.isProduction)
  const app: FastifyInstance = Fastify({
    logger: options.logger ?? defaultLogger(config),
    // Larger bodies are answered 413 before they are read.
    bodyLimit: 1024 * 1024,
    // Behind a load balancer (TRUST_PROXY), the client's address and https come from its X-Forwarded-* headers.
    trustProxy: trustedProxies(config.trustProxy),
    // A malformed URL, or a request Node's parser refuses (a head over 16 KiB), gets the shop's error page too.
    frameworkErrors: (error, _request, reply) => sendFrameworkError(app, error, reply, headers),
    clientErrorHandler: (error, socket) => void sendClientError(app, error, socket, headers),
    rewriteUrl: (request) => originFormOf(request.url ?? '/'),
    // No parameter can be longer than the head that carries it, so the router never refuses one as too long
    // (414): an overlong id reaches its route, whose parser finds it unknown (404), like any other bad id.
    routerOptions: { maxParamLength: maxHeaderSize },
    // app.close() runs once every accepted connection has ended (src/drain.ts), so nothing the shop accepted
    // can get Fastify's 503. An idle keep-alive connection is closed when the listener is; a busy one after
    // its answer.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    logController: new OneLinePerRequest(),
  })
  app.decorate('clock', options.clock ?? systemClock)
  const isSecureCookie = config.isProduction
  // Outside production with no mail server, mail stays in the outbox and /dev/mailbox shows it.
  const hasMailbox = !config.isProduction && config.mail.url === undefined
  // SESSION_SECRET signs; the retiring ones are still accepted (and what they signed is signed again).
  const secrets = [config.sessionSecret, ...config.previousSessionSecrets]

  await app.register(drainPlugin, { graceMs: options.drainGraceMs ?? DEFAULT_GRACE_MS })
  await app.register(errorsPlugin)
  await app.register(securityHeadersPlugin, { isProduction: config.isProduction })
  await app.register(dbPlugin, { databaseUrl: config.databaseUrl })
  await app.register(staticPlugin)
  await app.register(viewsPlugin, { isDevelopment: config.nodeEnv === 'development', hasMailbox })
  await app.register(mailPlugin, { mail: config.mail, sender: options.mailSender })
  await app.register(healthRoutes)

  await app.register(formBody, { parser: parseFormBody })
  await app.register(sessionsPlugin, {
    lifetimes: config.session,
    redisUrl: config.sessionRedisUrl,
    redisKeyPrefix: options.redisKeyPrefix,
  })
  await app.register(sessionPlugin, { secrets, isSecureCookie })
  await app.register(cacheControlPlugin)
  await app.register(housekeepingPlugin)
  await app.register(csrfPlugin, { isSecureCookie, secrets })

  const { confirmSeconds } = config
  // PUBLIC_URL's host is the passkeys' relying party, and its origin the one a browser must be on.
  const rp = relyingPartyOf(config.mail.publicUrl)
  // The shop's pages, with what the layout needs filled in before each handler runs.
  await app.register(async (pages) => {
    pages.addHook('preHandler', fillPageContext)
    // In development templates are read again on every render, so that an edit shows at once: nothing is kept.
    await pages.register(catalogRoutes, { keepGuestPages: config.nodeEnv !== 'development' })
    await pages.register(authRoutes, {
      rememberMaxSeconds: config.session.rememberMaxSeconds,
      signupLimitPerAddress: config.signupLimitPerAddress,
      verifyTokenSeconds: config.mail.verifyTokenSeconds,
    })
    await pages.register(resetRoutes, {
      resetTokenSeconds: config.mail.resetTokenSeconds,
      signupLimitPerAddress: config.signupLimitPerAddress,
    })
    await pages.register(accountRoutes, { confirmSeconds: config.confirmSeconds })
    await pages.register(confirmRoutes)
    await pages.register(emailRoutes, { confirmSeconds, linkSeconds: config.mail.verifyTokenSeconds })
    await pages.register(emailVerifyRoutes, { linkSeconds: config.mail.verifyTokenSeconds })
    await pages.register(deleteAccountRoutes, { confirmSeconds })
    await pages.register(passkeyRoutes, { rp, confirmSeconds })
    await pages.register(passkeySignInRoutes, { rp, rememberMaxSeconds: config.session.rememberMaxSeconds })
    // The TOTP secrets are sealed with a key of their own from the session secrets (two-factor/secret-box.ts).
    const twoFactorKeys = keysFor(secrets, 'two-factor secret')
    await pages.register(twoFactorRoutes, { keys: twoFactorKeys, confirmSeconds })
    await pages.register(twoFactorSignInRoutes, {
      keys: twoFactorKeys,
      rememberMaxSeconds: config.session.rememberMaxSeconds,
    })
    await pages.register(cartRoutes)
    await pages.register(orderRoutes)
    await pages.register(sessionPageRoutes, { lifetimes: config.session, isSecureCookie })
    if (hasMailbox) await pages.register(mailboxRoutes)
  })
  return app
}

/** A hop count as Fastify's types take it: trust the first `hops` addresses counted from the socket. */
function trustedProxies(setting: Config['trustProxy']) {
  return typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting
}

function defaultLogger(config: Config): FastifyServerOptions['logger'] {
  // One line per request; readable in development, JSON for machines elsewhere. Never log cookies or bodies.
  const redact = ['req.headers.cookie', 'req.headers.authorization', 'res.headers["set-cookie"]']
  if (config.nodeEnv === 'development') {
    return { level: 'info', redact, transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname' } } }
  }
  return { level: config.nodeEnv === 'test' ? 'warn' : 'info', redact }
}
