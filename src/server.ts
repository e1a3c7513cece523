// Loads the configuration, builds the app, listens, and closes gracefully on SIGTERM/SIGINT.
import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.ts'
import { boot } from './boot.ts'
import { ConfigError, loadConfig } from './config.ts'
import { drainBeforeClosing } from './drain.ts'

const log = (line: string) => console.log(`cartwheel: ${line}`)

try {
  const { config, stopDatabase } = await boot(loadConfig(process.env), log)
  const app = await buildApp(config)
  drainBeforeClosing(app)
  // On SIGTERM: refuse new requests until they stop coming, then stop listening; finish the requests in flight,
  // close the pool, then the embedded database.
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
    await stopDatabase()
  })
  await app.listen({ port: config.port, host: config.host })
} catch (error) {
  // A bad configuration is one clear line, not a stack trace.
  console.error(error instanceof ConfigError ? error.message : `cartwheel: failed to start: ${String(error)}`)
  process.exit(1)
}
