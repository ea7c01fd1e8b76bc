// `modelgate monitor serve --durable`: a batch answered 200 is on disk (write-ahead log) — kill -9 and restart lose none.
import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const repoRoot = resolve(__dirname, '../../..')
const bin = resolve(repoRoot, 'packages/cli/bin/modelgate.js')
const dir = mkdtempSync(join(tmpdir(), 'modelgate-monitor-durable-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function start(stateDir: string): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(
    process.execPath,
    [bin, 'monitor', 'serve', '--port', '0', '--window', '1h', '--state-dir', stateDir, '--durable'],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  return new Promise((resolvePromise, reject) => {
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString()
      const m = /listening on (http:\S+)/.exec(stderr)
      if (m?.[1] !== undefined) resolvePromise({ child, url: m[1], stderr: () => stderr })
    })
    child.once('exit', (code) => reject(new Error(`monitor exited ${code}: ${stderr}`)))
  })
}

describe('modelgate monitor serve --durable', () => {
  it('loses no acknowledged event across kill -9', async () => {
    const stateDir = join(dir, 'state')
    const first = await start(stateDir)
    const now = Date.now()
    let acknowledged = 0
    let sent = 0
    let killed = false
    const exited = new Promise((r) => first.child.once('exit', r))
    // Eight clients post batches of 50 until the process is killed under them.
    const client = async (c: number) => {
      for (let b = 0; !killed; b++) {
        const batch = Array.from({ length: 50 }, (_, i) => ({
          request_id: `c${c}-b${b}-${i}`,
          timestamp: now,
          features: { x: i },
          latency_ms: 5,
        }))
        sent += batch.length
        try {
          const res = await fetch(`${first.url}/v1/events`, { method: 'POST', body: JSON.stringify(batch) })
          if (res.status === 200) acknowledged += ((await res.json()) as { accepted: number }).accepted
        } catch {
          return // the connection died with the process
        }
      }
    }
    const clients = Array.from({ length: 8 }, (_, c) => client(c))
    // kill -9 once a checkpoint has surely been written and batches are in flight
    while (acknowledged < 3000) await new Promise((r) => setTimeout(r, 20))
    await new Promise((r) => setTimeout(r, 1200))
    first.child.kill('SIGKILL')
    killed = true
    await Promise.all(clients)
    await exited
    expect(acknowledged).toBeGreaterThan(0)

    const second = await start(stateDir)
    const status = (await (await fetch(`${second.url}/v1/status`)).json()) as {
      totals: { accepted: number }
      openWindows: { events: number }[]
    }
    second.child.kill('SIGTERM')
    await new Promise((r) => second.child.once('exit', r))
    // every acknowledged event is there, none twice (an in-flight batch may have made it to disk unanswered)
    expect(status.totals.accepted).toBeGreaterThanOrEqual(acknowledged)
    expect(status.totals.accepted).toBeLessThanOrEqual(sent)
    expect(status.openWindows.reduce((a, w) => a + w.events, 0)).toBe(status.totals.accepted)
    expect(second.stderr()).toMatch(/resumed from the checkpoint|replayed/)
  })
})
