// Starts bench/server.ts in a child process and talks to it over IPC. The servers run compiled, with plain
// node, as `npm start` runs the shop: tsx's loader would add a thread and some 40 MiB to every process.
import { type ChildProcess, execFileSync, fork } from 'node:child_process'
import { once } from 'node:events'
import path from 'node:path'
import { projectRoot } from '../src/shared/project-root.ts'
import type { FromServer, ServerStats, ToServer } from './server.ts'

export type ChildServer = {
  pid: number
  url: string
  reset: () => void
  read: () => Promise<ServerStats>
  stop: () => Promise<void>
}

/** Compiles src/ and bench/server.ts into dist/bench/; types are `npm run typecheck`'s job, not the benchmark's. */
export function buildServers(): void {
  const tsc = path.join(projectRoot, 'node_modules/typescript/bin/tsc')
  const config = path.join(import.meta.dirname, 'tsconfig.json')
  execFileSync(process.execPath, [tsc, '-p', config, '--noCheck'], { stdio: 'inherit' })
}

export async function startServer(mode: 'bare' | 'shop', env: Record<string, string>, nodeArgs: string[] = []) {
  const child: ChildProcess = fork(path.join(projectRoot, 'dist/bench/bench/server.js'), [mode], {
    execArgv: nodeArgs,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const next = async (): Promise<FromServer> => {
    const [message] = (await Promise.race([once(child, 'message'), failedToRun(child)])) as [FromServer]
    return message
  }
  const started = await next()
  if (started.type !== 'listening') throw new Error(`the ${mode} server did not start`)
  const tell = (message: ToServer) => child.send(message)
  const server: ChildServer = {
    pid: child.pid ?? 0,
    url: `http://127.0.0.1:${started.port}`,
    reset: () => tell({ type: 'reset' }),
    read: async () => {
      tell({ type: 'read' })
      const reply = await next()
      if (reply.type !== 'stats') throw new Error('the server answered out of turn')
      return reply
    },
    stop: async () => {
      if (child.exitCode !== null) return
      const exited = once(child, 'exit')
      tell({ type: 'stop' })
      await exited
    },
  }
  return server
}

async function failedToRun(child: ChildProcess): Promise<never> {
  const [code] = await once(child, 'exit')
  throw new Error(`the server process exited (code ${code})`)
}
