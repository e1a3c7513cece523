// The folder with package.json: where views/, public/, prisma/ and .data/ live, whether the code
// runs from src/ (tsx) or from dist/src/ (the build).
import { existsSync } from 'node:fs'
import path from 'node:path'

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir
    if (dir === path.dirname(dir)) throw new Error(`no package.json above ${from}`)
  }
}

export const projectRoot = findProjectRoot(import.meta.dirname)
