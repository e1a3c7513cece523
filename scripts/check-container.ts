// `docker compose up` without Docker (no engine runs where CI does): stages the image's runtime files
// (the Dockerfile's runtime COPYs, node_modules pruned by its own `npm prune`), runs its CMD with its ENV and
// the app service's environment from docker-compose.yml, against a fresh database of the machine's
// PostgreSQL, then checks migrate + seed + catalog, the HEALTHCHECK, a sign-in over plain http (why compose
// sets NODE_ENV=development), the registration's mail with its verify link, and exit 0 on SIGTERM. Three
// settings differ from compose, and say so: the database (compose's `db` is the machine's PostgreSQL here),
// the port (any free one; compose maps 3000) and MAIL_URL (a real SMTP server started here stands in for Mailpit).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import pg from 'pg'
import { TestSmtpServer } from '../test/helpers/smtp.ts'
import { httpTransport, type Page, Visitor } from '../test/helpers/visitor.ts'
import { type ContainerSpec, readContainerSpec } from './container-spec.ts'

const root = path.resolve(import.meta.dirname, '..')
const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres'
const started = Date.now()
const say = (line: string) => console.log(`check-container: ${line}`)

function fail(message: string): never {
  throw new Error(message)
}

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  await client.query(sql).finally(() => client.end())
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** The image's /app: runtime files copied as the Dockerfile says, node_modules pruned as its build stage does. */
async function stageImage(spec: ContainerSpec, dir: string) {
  const build = path.join(dir, 'build')
  await mkdir(build)
  for (const file of ['package.json', 'package-lock.json']) await cp(path.join(root, file), path.join(build, file))
  execFileSync('cp', ['-a', path.join(root, 'node_modules'), build])
  execFileSync('npm', [...spec.pruneArgs, '--no-audit', '--no-fund'], { cwd: build, stdio: 'pipe' })
  const app = path.join(dir, 'app')
  for (const copy of spec.copies) {
    const from = copy.fromBuildStage && copy.from === 'node_modules' ? build : root
    await cp(path.join(from, copy.from), path.join(app, copy.to), { recursive: true, verbatimSymlinks: true })
  }
  await rm(build, { recursive: true })
  return app
}

/** A visitor over plain http that refuses any Secure cookie, which the demo must not set without https. */
function visitor(base: string) {
  const http = httpTransport(base)
  return new Visitor<Page>({
    ...http,
    async send(request) {
      const page = await http.send(request)
      for (const cookie of page.headers.getSetCookie()) {
        if (/;\s*secure/i.test(cookie)) fail(`a Secure cookie over plain http, which the demo must not set: ${cookie}`)
      }
      return page
    },
  })
}

async function waitForHealth(base: string, child: ChildProcess) {
  for (let tries = 0; tries < 120; tries += 1) {
    if (child.exitCode !== null) fail(`the app exited with ${child.exitCode} while starting`)
    if ((await fetch(`${base}/healthz`).catch(() => null))?.status === 200) return
    await sleep(250)
  }
  fail('the app did not answer /healthz within 30 s')
}

async function checkRunningApp(base: string, spec: ContainerSpec, env: NodeJS.ProcessEnv, smtp: TestSmtpServer) {
  const catalog = await visitor(base).get('/')
  const products = catalog.body.split('class="product-card"').length - 1
  if (catalog.status !== 200 || products < 12) fail(`GET / answered ${catalog.status} with ${products} products`)
  say(`GET / lists ${products} products; /healthz answers 200`)
  const [command, ...args] = spec.healthcheck as [string, ...string[]]
  execFileSync(command, args, { env, stdio: 'inherit', timeout: 10_000 })
  say('the HEALTHCHECK command exits 0')

  const credentials = { email: `compose-${randomBytes(4).toString('hex')}@example.test`, password: 'demo password 1' }
  const registered = await visitor(base).submit('/register', credentials)
  if (registered.status !== 303 || registered.location !== '/account') fail(`POST /register: ${registered.status}`)
  const browser = visitor(base)
  const signedIn = await browser.submit('/login', credentials)
  if (signedIn.status !== 303 || !browser.cookies.has('sid')) fail(`POST /login: ${signedIn.status}, no sid cookie`)
  const account = await browser.get('/account')
  if (account.status !== 200 || !account.body.includes(credentials.email)) fail(`GET /account: ${account.status}`)
  say('over plain http a visitor registers, signs in and stays signed in (the sid cookie is not Secure)')

  await smtp.waitFor(() => smtp.received.some((mail) => mail.to === credentials.email), 15_000)
  const mail = smtp.received.find((received) => received.to === credentials.email)
  const link = `${spec.env.PUBLIC_URL}/email/verify/`
  if (!mail?.text.includes(link)) fail(`the registration's mail has no ${link} link:\n${mail?.text}`)
  say(`the registration's mail reached the SMTP server, with its ${link}… link`)
}

const spec = await readContainerSpec(root)
if (spec.publishedPort !== spec.env.PORT)
  fail(`compose publishes ${spec.publishedPort}, the app listens on ${spec.env.PORT}`)
const database = `cw_compose_${randomBytes(6).toString('hex')}`
const port = await freePort()
const dir = await mkdtemp(path.join(os.tmpdir(), 'cw-container-'))
let child: ChildProcess | undefined
let log = ''
const smtp = new TestSmtpServer()
try {
  await smtp.listen()
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
  const app = await stageImage(spec, dir)
  await admin(`CREATE DATABASE ${database}`)
  const databaseUrl = new URL(serverUrl)
  databaseUrl.pathname = `/${database}`
  const env = {
    PATH: process.env.PATH,
    ...spec.env,
    DATABASE_URL: databaseUrl.toString(),
    PORT: String(port),
    MAIL_URL: smtp.url,
  }
  say(`${spec.command.join(' ')} with ${Object.keys(spec.env).join(', ')} from Dockerfile and docker-compose.yml`)
  databaseUrl.password = databaseUrl.password && '***'
  say(`except DATABASE_URL=${databaseUrl}, PORT=${port} and MAIL_URL=${smtp.url}`)
  const [command, ...args] = spec.command as [string, ...string[]]
  child = spawn(command, args, { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] })
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (chunk) => (log += chunk))
  const base = `http://127.0.0.1:${port}`
  await waitForHealth(base, child)
  await checkRunningApp(base, spec, env, smtp)

  const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)))
  child.kill('SIGTERM')
  const code = await Promise.race([exited, sleep(15_000, 'a timeout', { ref: false })])
  if (code !== 0) fail(`after SIGTERM the app ended with ${code}, not exit code 0`)
  say(`SIGTERM: exit code 0; all checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s`)
} catch (error) {
  console.error(log)
  console.error(`check-container: FAILED: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  if (child?.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {})
  await rm(dir, { recursive: true, force: true })
  await smtp.close()
}
