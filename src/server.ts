// Loads the configuration, builds the app, listens, and closes gracefully on SIGTERM/SIGINT.
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.ts'
import { boot } from './boot.ts'
import { ConfigError, loadConfig } from './config.ts'

const log = (line: string) => console.log(`cartwheel: ${line}`)

try {
  const { config, stopDatabase } = await boot(loadConfig(process.env), log)
  const app = await buildApp(config)
  // On a signal: /healthz 503 while every other request is served as usual, then stop listening, answer the
  // requests accepted, close the pool, then the embedded database (src/drain.ts). After an uncaught error,
  // no grace period. Whatever hangs past 10 s ends with exit 1.
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) {
      app.log.error({ err }, 'shutting down after an error')
      await app.close()
    } else {
      app.log.info({ signal }, 'shutting down')
      await app.drain()
    }
    await stopDatabase()
  })
  await app.listen({ port: config.port, host: config.host })
} catch (error) {
  // A bad configuration is one clear line, not a stack trace.
  console.error(error instanceof ConfigError ? error.message : `cartwheel: failed to start: ${String(error)}`)
  process.exit(1)
}
