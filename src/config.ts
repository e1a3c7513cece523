// The only reader of process.env: every variable in README's Configuration table, validated once at start-up.
import { z } from 'zod'

const wholeNumber = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, `${name} must be a whole number`)
    .transform(Number)
    .refine((n) => n >= min && n <= max, `${name} must be from ${min} to ${max}`)

const postgresUrl = z
  .string()
  .refine((value) => URL.canParse(value) && /^postgres(ql)?:$/.test(new URL(value).protocol), {
    message: 'DATABASE_URL must be a postgresql:// URL',
  })

// Secrets being retired, newest first: a comma-separated list (spaces around each ignored), each as long as
// SESSION_SECRET must be. What they signed is still accepted, and signed again with SESSION_SECRET.
const retiringSecrets = z
  .string()
  .transform((value) => value.split(',').map((secret) => secret.trim()))
  .refine((secrets) => secrets.every((secret) => secret.length >= 32), {
    message: 'SESSION_SECRET_PREVIOUS must be secrets of at least 32 characters each, separated by commas',
  })

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: wholeNumber('PORT', 1, 65535).default(3000),
    HOST: z.string().min(1, 'HOST must not be empty').default('127.0.0.1'),
    DATABASE_URL: postgresUrl.optional(),
    SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
    SESSION_SECRET_PREVIOUS: retiringSecrets.optional(),
    SESSION_IDLE_SECONDS: wholeNumber('SESSION_IDLE_SECONDS', 1, 31_536_000).default(1800),
    SESSION_MAX_SECONDS: wholeNumber('SESSION_MAX_SECONDS', 1, 31_536_000).default(43_200),
    REMEMBER_MAX_SECONDS: wholeNumber('REMEMBER_MAX_SECONDS', 1, 31_536_000).default(2_592_000),
    SESSION_REDIS_URL: z
      .string()
      .refine((value) => URL.canParse(value) && /^rediss?:$/.test(new URL(value).protocol), {
        message: 'SESSION_REDIS_URL must be a redis:// or rediss:// URL',
      })
      .optional(),
    MAIL_URL: z
      .string()
      .refine((value) => URL.canParse(value) && /^smtps?:$/.test(new URL(value).protocol), {
        message: 'MAIL_URL must be an smtp:// or smtps:// URL',
      })
      .optional(),
    MAIL_FROM: z.string().min(3, 'MAIL_FROM must be an address such as Cartwheel <shop@example.com>').optional(),
    PUBLIC_URL: z
      .string()
      .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
        message: 'PUBLIC_URL must be an http:// or https:// origin, such as https://shop.example.com',
      })
      .optional(),
    CONFIRM_SECONDS: wholeNumber('CONFIRM_SECONDS', 1, 86_400).default(600),
    RESET_TOKEN_SECONDS: wholeNumber('RESET_TOKEN_SECONDS', 60, 604_800).default(3600),
    VERIFY_TOKEN_SECONDS: wholeNumber('VERIFY_TOKEN_SECONDS', 60, 2_592_000).default(86_400),
    SIGNUP_LIMIT_PER_ADDRESS: wholeNumber('SIGNUP_LIMIT_PER_ADDRESS', 1, 1_000_000).default(20),
    TRUST_PROXY: z
      .string()
      .regex(/^(\d{1,2}|[0-9a-fA-F.:/,\s]+|loopback|linklocal|uniquelocal)$/, {
        message: 'TRUST_PROXY must be a number of proxy hops, or proxy addresses/CIDRs separated by commas',
      })
      .optional(),
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.SESSION_SECRET !== undefined, {
    path: ['SESSION_SECRET'],
    message: 'SESSION_SECRET is required when NODE_ENV=production',
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.MAIL_URL !== undefined, {
    path: ['MAIL_URL'],
    message: 'MAIL_URL is required when NODE_ENV=production',
  })
  .refine((env) => env.NODE_ENV !== 'production' || env.PUBLIC_URL !== undefined, {
    path: ['PUBLIC_URL'],
    message: 'PUBLIC_URL is required when NODE_ENV=production',
  })

export type SessionLifetimes = {
  idleSeconds: number
  maxSeconds: number
  rememberMaxSeconds: number
}

export type Config = {
  nodeEnv: 'development' | 'production' | 'test'
  isProduction: boolean
  port: number
  host: string
  /** Unset: the embedded PostgreSQL under .data/ is used. */
  databaseUrl: string | undefined
  /** Unset outside production: one is generated once and kept under .data/. */
  sessionSecret: string | undefined
  /** SESSION_SECRET_PREVIOUS: accepted, never used to sign. Empty when unset. */
  previousSessionSecrets: readonly string[]
  session: SessionLifetimes
  /** SESSION_REDIS_URL: sessions and the sign-in throttle in Redis. Unset: in PostgreSQL. */
  sessionRedisUrl: string | undefined
  /** How long entering the password (or using a passkey) counts as confirming it's you, for the guarded changes. */
  confirmSeconds: number
  /** Registrations, and password-reset requests, each allowed per client address in 15 minutes. */
  signupLimitPerAddress: number
  /**
   * Which proxies' X-Forwarded-For/-Proto to believe: a hop count or their addresses. Unset, none: a client's
   * own X-Forwarded-For would otherwise choose the address the sign-in throttle counts against.
   */
  trustProxy: number | string | false
  mail: MailConfig
}

export type MailConfig = {
  /** Unset outside production: nothing is sent, and /dev/mailbox shows the outbox. */
  url: string | undefined
  from: string
  /** The origin that links in mail point to. */
  publicUrl: string
  resetTokenSeconds: number
  verifyTokenSeconds: number
}

/** A configuration problem, with a message of one line that names the variable. */
export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv): Readonly<Config> {
  // An empty variable (PORT=) means "not set", as it does in docker compose and most shells' habits.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''))
  const parsed = envSchema.safeParse(present)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const name = String(issue?.path[0] ?? 'environment')
    const message = issue?.message.includes(name) ? issue.message : `${name}: ${issue?.message}`
    throw new ConfigError(`Invalid configuration: ${message}`)
  }
  const vars = parsed.data
  return Object.freeze({
    nodeEnv: vars.NODE_ENV,
    isProduction: vars.NODE_ENV === 'production',
    port: vars.PORT,
    host: vars.HOST,
    databaseUrl: vars.DATABASE_URL,
    sessionSecret: vars.SESSION_SECRET,
    previousSessionSecrets: Object.freeze(vars.SESSION_SECRET_PREVIOUS ?? []),
    sessionRedisUrl: vars.SESSION_REDIS_URL,
    trustProxy: parseTrustProxy(vars.TRUST_PROXY),
    confirmSeconds: vars.CONFIRM_SECONDS,
    mail: Object.freeze({
      url: vars.MAIL_URL,
      from: vars.MAIL_FROM ?? 'Cartwheel <shop@localhost>',
      publicUrl: new URL(vars.PUBLIC_URL ?? `http://localhost:${vars.PORT}`).origin,
      resetTokenSeconds: vars.RESET_TOKEN_SECONDS,
      verifyTokenSeconds: vars.VERIFY_TOKEN_SECONDS,
    }),
    signupLimitPerAddress: vars.SIGNUP_LIMIT_PER_ADDRESS,
    session: Object.freeze({
      idleSeconds: vars.SESSION_IDLE_SECONDS,
      maxSeconds: vars.SESSION_MAX_SECONDS,
      rememberMaxSeconds: vars.REMEMBER_MAX_SECONDS,
    }),
  })
}

function parseTrustProxy(value: string | undefined): number | string | false {
  if (value === undefined) return false
  return /^\d+$/.test(value) ? Number(value) : value
}
