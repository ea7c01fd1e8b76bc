import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A free loopback port (bound and released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

export interface RunningServer {
  readonly port: number
  readonly url: string
  readonly dir: string
  stop(): Promise<void>
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs
  for (;;) {
    if (await check().catch(() => false)) return
    if (Date.now() > end) throw new Error(`${what} did not start within ${timeoutMs} ms`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function launch(
  name: string,
  command: string,
  args: (port: number, dir: string) => string[],
  ready: (port: number) => Promise<boolean>,
  url: (port: number) => string,
): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), `modelgate-${name}-`))
  const port = await freePort()
  // Debian puts nats-server in /usr/sbin, which a non-root PATH may lack.
  const bin = ['/usr/sbin', '/usr/bin'].map((d) => join(d, command)).find((p) => existsSync(p)) ?? command
  const child: ChildProcess = spawn(bin, args(port, dir), { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir })
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString()
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    await until(async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited: ${stderr}`)
      return ready(port)
    }, name)
  } catch (error) {
    child.kill('SIGKILL')
    throw error
  }
  return {
    port,
    url: url(port),
    dir,
    stop: async () => {
      child.kill('SIGTERM')
      const t = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(t)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const tcpOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

/** Debian's redis-server on a random loopback port, no persistence. */
export function startRedis(): Promise<RunningServer> {
  return launch(
    'redis',
    'redis-server',
    (port, dir) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    tcpOpen,
    (port) => `redis://127.0.0.1:${port}`,
  )
}

/** Debian's nats-server with JetStream on a random loopback port. */
export function startNats(): Promise<RunningServer> {
  return launch(
    'nats',
    'nats-server',
    (port, dir) => ['-js', '-a', '127.0.0.1', '-p', String(port), '-sd', dir],
    tcpOpen,
    (port) => `nats://127.0.0.1:${port}`,
  )
}

/** Debian's prometheus scraping `targets` every second. */
export function startPrometheus(targets: readonly string[]): Promise<RunningServer> {
  return launch(
    'prometheus',
    'prometheus',
    (port, dir) => {
      writeFileSync(
        join(dir, 'prometheus.yml'),
        `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: modelgate-monitor\n    static_configs:\n      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]\n`,
      )
      return [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
      ]
    },
    async (port) => (await fetch(`http://127.0.0.1:${port}/-/ready`)).ok,
    (port) => `http://127.0.0.1:${port}`,
  )
}
