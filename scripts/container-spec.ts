// What the container runs, read from Dockerfile and docker-compose.yml themselves, so that
// check-container.ts breaks when either changes: the runtime stage's files, environment and command.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { parse } from 'yaml'

type Instruction = { keyword: string; args: string }
type Stage = { name: string; instructions: Instruction[] }

/** One runtime-stage COPY: `from` is a path in the build context, or in the build stage's work folder. */
export type RuntimeCopy = { fromBuildStage: boolean; from: string; to: string }

export type ContainerSpec = {
  command: string[]
  healthcheck: string[]
  /** The image's ENV, then the compose service's environment over it, as `docker compose up` sets it. */
  env: Record<string, string>
  copies: RuntimeCopy[]
  /** The build stage's `npm prune ...`, as arguments to npm. */
  pruneArgs: string[]
  /** The container port that compose publishes. */
  publishedPort: string
}

export async function readContainerSpec(root: string, service = 'app'): Promise<ContainerSpec> {
  const stages = parseDockerfile(await readFile(path.join(root, 'Dockerfile'), 'utf8'))
  const runtime = stages.at(-1) as Stage
  const all = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword)
  const last = (stage: Stage, keyword: string) => {
    const found = all(stage, keyword).at(-1)
    if (found === undefined) throw new Error(`Dockerfile: stage ${stage.name} has no ${keyword}`)
    return found.args
  }
  const buildStage = (name: string) => {
    const found = stages.find((stage) => stage.name === name)
    if (found === undefined) throw new Error(`Dockerfile: no stage named ${name}`)
    return found
  }
  const imageEnv = Object.fromEntries(all(runtime, 'ENV').flatMap((i) => i.args.split(/\s+/).map(keyValue)))
  const workdir = last(runtime, 'WORKDIR')
  const copies = all(runtime, 'COPY').map(({ args }) => {
    const words = args.split(/\s+/)
    const from = words.find((word) => word.startsWith('--from='))?.slice('--from='.length)
    const [source, target, extra] = words.filter((word) => !word.startsWith('--'))
    if (source === undefined || target === undefined || extra !== undefined) {
      throw new Error(`Dockerfile: expected one source and one target in COPY ${args}`)
    }
    const to = path.posix.relative(workdir, path.posix.resolve(workdir, target))
    if (from === undefined) return { fromBuildStage: false, from: source, to }
    return { fromBuildStage: true, from: path.posix.relative(last(buildStage(from), 'WORKDIR'), source), to }
  })
  const prune = stages
    .flatMap((stage) => all(stage, 'RUN'))
    .map((i) => /\bnpm (prune[^&|;]*)/.exec(i.args)?.[1])
    .find((found) => found !== undefined)
  if (prune === undefined) throw new Error('Dockerfile: no RUN npm prune')
  const healthcheck = /\bCMD\s+(\[.*\])$/.exec(last(runtime, 'HEALTHCHECK'))?.[1]
  if (healthcheck === undefined) throw new Error('Dockerfile: HEALTHCHECK needs the exec form CMD [...]')

  const compose = parse(await readFile(path.join(root, 'docker-compose.yml'), 'utf8'))
  const app = compose.services?.[service]
  if (app === undefined) throw new Error(`docker-compose.yml: no service ${service}`)
  // "127.0.0.1:3000:3000" or "3000:3000": the container's side is the last part.
  const publishedPort =
    String(app.ports?.[0] ?? '')
      .split(':')
      .at(-1) ?? ''
  return {
    command: JSON.parse(last(runtime, 'CMD')),
    healthcheck: JSON.parse(healthcheck),
    env: { ...imageEnv, ...composeEnvironment(app.environment ?? {}) },
    copies,
    pruneArgs: prune.trim().split(/\s+/),
    publishedPort,
  }
}

function parseDockerfile(text: string): Stage[] {
  const lines = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
  const stages: Stage[] = []
  for (const line of lines) {
    const match = /^\s*([A-Za-z]+)\s+(.*?)\s*$/.exec(line)
    if (match === null) continue
    const instruction = { keyword: (match[1] as string).toUpperCase(), args: (match[2] as string).replace(/\s+/g, ' ') }
    if (instruction.keyword === 'FROM') {
      stages.push({ name: /\sAS\s+(\S+)$/i.exec(instruction.args)?.[1] ?? String(stages.length), instructions: [] })
    } else {
      stages.at(-1)?.instructions.push(instruction)
    }
  }
  if (stages.length === 0) throw new Error('Dockerfile: no FROM')
  return stages
}

function keyValue(word: string): [string, string] {
  const [key, ...value] = word.split('=')
  if (value.length === 0 || /["']/.test(word)) throw new Error(`Dockerfile: write ENV as KEY=value, not ${word}`)
  return [key as string, value.join('=')]
}

function composeEnvironment(environment: Record<string, unknown> | string[]): Record<string, string> {
  const pairs = Array.isArray(environment)
    ? environment.map((entry) => keyValue(entry))
    : Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)])
  return Object.fromEntries(pairs.map(([key, value]) => [key, interpolate(value as string)]))
}

/** Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} as they read with no .env and nothing exported. */
function interpolate(value: string): string {
  return value.replace(/\$\{(\w+)(?:(:?[-?])([^}]*))?\}/g, (_whole, name: string, operator?: string, word = '') => {
    if (operator?.endsWith('?')) throw new Error(`docker-compose.yml requires ${name}: ${word}`)
    return word
  })
}
