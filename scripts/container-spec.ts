// What the container runs, read from Dockerfile and docker-compose.yml themselves, so that
// check-container.ts breaks when either changes: the runtime stage's files, environment and command.
// The Dockerfile is read with dockerfile-ast (the parser behind dockerfile-utils, which lints it in CI).
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { DockerfileParser, type ImageTemplate } from 'dockerfile-ast'
import { parse } from 'yaml'

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
  const dockerfile = DockerfileParser.parse(await readFile(path.join(root, 'Dockerfile'), 'utf8'))
  const stages = dockerfile.getFROMs().map((from) => ({
    name: from.getBuildStage(),
    image: dockerfile.getContainingImage(from.getRange().start) as ImageTemplate,
  }))
  if (stages.length === 0) throw new Error('Dockerfile: no FROM')
  const runtime = (stages.at(-1) as (typeof stages)[number]).image
  const only = <T>(found: T[], what: string): T => {
    const last = found.at(-1)
    if (last === undefined) throw new Error(`Dockerfile: the stage has no ${what}`)
    return last
  }
  // The exported ImageTemplate type has no getWORKDIRs().
  const workdirOf = (image: ImageTemplate) =>
    only(
      image.getInstructions().filter((instruction) => instruction.getKeyword() === 'WORKDIR'),
      'WORKDIR',
    ).getArgumentsContent() ?? ''
  const stageNamed = (name: string) => {
    const found = stages.find((stage) => stage.name === name)
    if (found === undefined) throw new Error(`Dockerfile: no stage named ${name}`)
    return found.image
  }

  const imageEnv = Object.fromEntries(
    runtime.getENVs().flatMap((env) =>
      env.getProperties().map((property): [string, string] => {
        const value = property.getValue()
        if (value === null) throw new Error(`Dockerfile: ENV ${property.getName()} has no value`)
        return [property.getName(), value]
      }),
    ),
  )
  const workdir = workdirOf(runtime)
  const copies = runtime.getCOPYs().map((copy) => {
    const [source, target, extra] = copy.getArguments().map((argument) => argument.getValue())
    if (source === undefined || target === undefined || extra !== undefined) {
      throw new Error(`Dockerfile: expected one source and one target in ${copy.toString()}`)
    }
    const to = path.posix.relative(workdir, path.posix.resolve(workdir, target))
    const from = copy.getFromFlag()?.getValue()
    if (from === undefined || from === null) return { fromBuildStage: false, from: source, to }
    return { fromBuildStage: true, from: path.posix.relative(workdirOf(stageNamed(from)), source), to }
  })
  const prune = dockerfile
    .getInstructions()
    .filter((instruction) => instruction.getKeyword() === 'RUN')
    .map((run) => /\bnpm (prune[^&|;]*)/.exec(run.getArgumentsContent() ?? '')?.[1])
    .find((found) => found !== undefined)
  if (prune === undefined) throw new Error('Dockerfile: no RUN npm prune')
  const healthcheck = only(runtime.getHEALTHCHECKs(), 'HEALTHCHECK')
  const probe = /\bCMD\s+(\[.*\])\s*$/s.exec(healthcheck.getArgumentsContent() ?? '')?.[1]
  if (healthcheck.getSubcommand()?.getValue().toUpperCase() !== 'CMD' || probe === undefined) {
    throw new Error('Dockerfile: HEALTHCHECK needs the exec form CMD [...]')
  }
  const command = only(runtime.getCMDs(), 'CMD').getJSONStrings()
  if (command.length === 0) throw new Error('Dockerfile: CMD needs the exec form [...]')

  const compose = parse(await readFile(path.join(root, 'docker-compose.yml'), 'utf8'))
  const app = compose.services?.[service]
  if (app === undefined) throw new Error(`docker-compose.yml: no service ${service}`)
  // "127.0.0.1:3000:3000" or "3000:3000": the container's side is the last part.
  const publishedPort =
    String(app.ports?.[0] ?? '')
      .split(':')
      .at(-1) ?? ''
  return {
    command: command.map((word) => word.getJSONValue()),
    healthcheck: JSON.parse(probe),
    env: { ...imageEnv, ...composeEnvironment(app.environment ?? {}) },
    copies,
    pruneArgs: prune.trim().split(/\s+/),
    publishedPort,
  }
}

function keyValue(word: string): [string, string] {
  const [key, ...value] = word.split('=')
  if (value.length === 0 || /["']/.test(word)) throw new Error(`docker-compose.yml: write KEY=value, not ${word}`)
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
