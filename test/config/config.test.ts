import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ConfigError, loadConfig } from '../../src/config.ts'

const SECRET = 'x'.repeat(32)

test('with nothing set, the documented defaults apply', () => {
  const config = loadConfig({})
  assert.equal(config.port, 3000)
  assert.equal(config.host, '127.0.0.1')
  assert.equal(config.databaseUrl, undefined)
  assert.equal(config.sessionRedisUrl, undefined, 'sessions in PostgreSQL')
  assert.deepEqual(config.session, { idleSeconds: 1800, maxSeconds: 43200, rememberMaxSeconds: 2592000 })
  assert.ok(Object.isFrozen(config))
})

test('every documented variable is read', () => {
  const config = loadConfig({
    PORT: '8080',
    HOST: '0.0.0.0',
    DATABASE_URL: 'postgresql://shop@db:5432/shop',
    SESSION_SECRET: SECRET,
    NODE_ENV: 'production',
    SESSION_IDLE_SECONDS: '60',
    SESSION_MAX_SECONDS: '600',
    REMEMBER_MAX_SECONDS: '6000',
    MAIL_URL: 'smtps://user:pass@mail.example.com:465',
    MAIL_FROM: 'Shop <shop@example.com>',
    PUBLIC_URL: 'https://shop.example.com/',
    RESET_TOKEN_SECONDS: '900',
    VERIFY_TOKEN_SECONDS: '7200',
    SIGNUP_LIMIT_PER_ADDRESS: '5',
    SESSION_REDIS_URL: 'redis://cache:6379/2',
  })
  assert.equal(config.port, 8080)
  assert.equal(config.sessionRedisUrl, 'redis://cache:6379/2')
  assert.equal(config.host, '0.0.0.0')
  assert.equal(config.databaseUrl, 'postgresql://shop@db:5432/shop')
  assert.equal(config.isProduction, true)
  assert.deepEqual(config.session, { idleSeconds: 60, maxSeconds: 600, rememberMaxSeconds: 6000 })
  assert.equal(config.signupLimitPerAddress, 5)
  assert.deepEqual(config.mail, {
    url: 'smtps://user:pass@mail.example.com:465',
    from: 'Shop <shop@example.com>',
    publicUrl: 'https://shop.example.com',
    resetTokenSeconds: 900,
    verifyTokenSeconds: 7200,
  })
})

test('mail defaults: nothing sent, from the shop at localhost, links to this port', () => {
  const config = loadConfig({ PORT: '4000' })
  assert.deepEqual(config.mail, {
    url: undefined,
    from: 'Cartwheel <shop@localhost>',
    publicUrl: 'http://localhost:4000',
    resetTokenSeconds: 3600,
    verifyTokenSeconds: 86400,
  })
})

test('SIGNUP_LIMIT_PER_ADDRESS is 20 unless set', () => {
  assert.equal(loadConfig({}).signupLimitPerAddress, 20)
})

test('TRUST_PROXY is off unless set, and takes a hop count or proxy addresses', () => {
  assert.equal(loadConfig({}).trustProxy, false)
  assert.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, 1)
  assert.equal(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.1' }).trustProxy, '10.0.0.0/8, 192.168.1.1')
})

test('SESSION_SECRET_PREVIOUS is optional and takes one or more secrets separated by commas', () => {
  assert.deepEqual(loadConfig({}).previousSessionSecrets, [])
  assert.deepEqual(loadConfig({ SESSION_SECRET_PREVIOUS: SECRET }).previousSessionSecrets, [SECRET])
  const two = `${'y'.repeat(40)}, ${SECRET}`
  assert.deepEqual(loadConfig({ SESSION_SECRET_PREVIOUS: two }).previousSessionSecrets, ['y'.repeat(40), SECRET])
})

const badValues: [Record<string, string>, string][] = [
  [{ PORT: 'abc' }, 'PORT'],
  [{ PORT: '70000' }, 'PORT'],
  [{ PORT: '-1' }, 'PORT'],
  [{ DATABASE_URL: 'mysql://localhost/shop' }, 'DATABASE_URL'],
  [{ DATABASE_URL: 'not a url' }, 'DATABASE_URL'],
  [{ SESSION_SECRET: 'too short' }, 'SESSION_SECRET'],
  [{ NODE_ENV: 'production' }, 'SESSION_SECRET'],
  [{ NODE_ENV: 'production', SESSION_SECRET: SECRET, PUBLIC_URL: 'https://shop.example.com' }, 'MAIL_URL'],
  [{ NODE_ENV: 'production', SESSION_SECRET: SECRET, MAIL_URL: 'smtp://mail:25' }, 'PUBLIC_URL'],
  [{ MAIL_URL: 'http://mail.example.com' }, 'MAIL_URL'],
  [{ SESSION_REDIS_URL: 'localhost:6379' }, 'SESSION_REDIS_URL'],
  [{ SESSION_REDIS_URL: 'http://cache:6379' }, 'SESSION_REDIS_URL'],
  [{ PUBLIC_URL: 'ftp://shop.example.com' }, 'PUBLIC_URL'],
  [{ RESET_TOKEN_SECONDS: '0' }, 'RESET_TOKEN_SECONDS'],
  [{ SESSION_IDLE_SECONDS: '0' }, 'SESSION_IDLE_SECONDS'],
  [{ SESSION_MAX_SECONDS: '1.5' }, 'SESSION_MAX_SECONDS'],
  [{ REMEMBER_MAX_SECONDS: 'forever' }, 'REMEMBER_MAX_SECONDS'],
  [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
  [{ TRUST_PROXY: 'yes please' }, 'TRUST_PROXY'],
  [{ SIGNUP_LIMIT_PER_ADDRESS: '0' }, 'SIGNUP_LIMIT_PER_ADDRESS'],
  [{ SIGNUP_LIMIT_PER_ADDRESS: '2.5' }, 'SIGNUP_LIMIT_PER_ADDRESS'],
  [{ SESSION_SECRET_PREVIOUS: 'too short' }, 'SESSION_SECRET_PREVIOUS'],
  [{ SESSION_SECRET_PREVIOUS: `${SECRET},too short` }, 'SESSION_SECRET_PREVIOUS'],
]

for (const [env, variable] of badValues) {
  test(`${JSON.stringify(env)} is refused with one line that names ${variable}`, () => {
    assert.throws(
      () => loadConfig(env),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.match(error.message, new RegExp(variable))
        assert.doesNotMatch(error.message, /\n/)
        return true
      },
    )
  })
}
