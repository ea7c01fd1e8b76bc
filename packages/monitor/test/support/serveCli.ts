import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { resolve } from 'node:path'

/** The built CLI (`pnpm build` first): these tests run `modelgate monitor …` as a child process. */
export const modelgateBin = resolve(__dirname, '../../../cli/bin/modelgate.js')

export interface ServedMonitor {
  readonly child: ChildProcess
  readonly url: string
  /** The exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>
  stderr(): string
}

/** `modelgate monitor serve --port 0 …` as a child process in `cwd`; resolves once it listens. */
export function serveMonitor(args: readonly string[], cwd: string): Promise<ServedMonitor> {
  const child = spawn(process.execPath, [modelgateBin, 'monitor', 'serve', '--port', '0', ...args], {
    cwd,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  return new Promise((resolvePromise, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString()
      const m = /listening on (http:\S+)/.exec(stderr)
      if (m?.[1] !== undefined) resolvePromise({ child, url: m[1], exited, stderr: () => stderr })
    })
    void exited.then((code) => reject(new Error(`monitor exited ${code}: ${stderr}`)))
  })
}

/** Polls `check` (every 10 ms) until it holds: the tests wait on events, never on fixed sleeps. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
