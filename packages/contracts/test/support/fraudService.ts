import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TableSchema } from '@modelgate/core'
import { tableSchema } from '@modelgate/core'

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url))
export const fraudServiceDir = path.join(repoRoot, 'examples/fraud-detection')

export async function loadFraudSchema(name: 'request' | 'response'): Promise<TableSchema> {
  return tableSchema.parse(
    JSON.parse(await readFile(path.join(fraudServiceDir, `schemas/${name}.schema.json`), 'utf8')),
  )
}

export interface RunningService {
  readonly url: string
  stop(): Promise<void>
}

/** Starts the example fraud service as a real process on loopback (port chosen by the OS). */
export async function startFraudService(flags: readonly string[] = []): Promise<RunningService> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(fraudServiceDir, 'service/main.ts'), '--port', '0', ...flags],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString()
  })
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(() => reject(new Error(`fraud service did not start: ${stderr}`)), 20_000)
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
      const m = /listening on (http:\/\/\S+)/.exec(stdout)
      if (m?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    child.on('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`fraud service exited with ${code}: ${stderr}`))
    })
  })
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      }),
  }
}
