// Issue #12: a `cmd:` batch path left the command's children running on timeout or Ctrl-C, and the temporary input
// file (real rows) on disk. The command runs in its own process group, killed whole; the folder is always removed.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ModelGateError, tableFromRows } from '@modelgate/core'
import type { FeaturePath } from '@modelgate/skew'
import { batchCommand, checkSkew, onlineFunction } from '@modelgate/skew'
import { describe, expect, it } from 'vitest'

const input = tableFromRows(Array.from({ length: 20 }, (_, i) => ({ id: i + 1, email: `row${i}@example.org`, x: i })))
const online = onlineFunction((row) => ({ y: row.x as number }))

/** A command that records its temp folder and the pid of a grandchild it leaves running, then hangs. */
function hangingCommand(dir: string): string {
  return `echo "$(dirname {input})" > ${dir}/tmp; sleep 300 & echo $! > ${dir}/pid; sleep 300; cat {input} > {output}`
}

/** Running (a zombie left for init to reap counts as gone: it has ended). */
function alive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z'
  } catch {
    return false
  }
}

async function waitFor(file: string): Promise<string> {
  for (let i = 0; i < 800 && !existsSync(file); i++) await sleep(25)
  await sleep(50)
  return readFileSync(file, 'utf8').trim()
}

describe('batchCommand cleans up', () => {
  it('on timeout: kills the command and every process it started, removes the folder with the rows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-cmd-test-'))
    const batch = batchCommand(hangingCommand(dir), { timeoutMs: 4000 })
    const error = await checkSkew({ input, key: 'id', batch, online }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ModelGateError)
    expect((error as ModelGateError).code).toBe('MG_SKEW_COMMAND_FAILED')
    expect((error as Error).message).toMatch(/killed \(with every process it started\) after 4,000 ms/)
    const pid = Number(await waitFor(join(dir, 'pid')))
    const temp = await waitFor(join(dir, 'tmp'))
    await sleep(100)
    expect(alive(pid)).toBe(false)
    expect(existsSync(temp)).toBe(false)
  })

  it('on cancel (Ctrl-C): kills the process group, removes the folder, stops with MG_CANCELLED', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-cmd-test-'))
    const batch = batchCommand(hangingCommand(dir), { timeoutMs: 600_000 })
    const controller = new AbortController()
    const run = checkSkew({ input, key: 'id', batch, online, signal: controller.signal }).catch((e: unknown) => e)
    const pid = Number(await waitFor(join(dir, 'pid')))
    const temp = await waitFor(join(dir, 'tmp'))
    expect(alive(pid)).toBe(true)
    expect(existsSync(temp)).toBe(true)
    const started = Date.now()
    controller.abort()
    const error = await run
    expect(Date.now() - started).toBeLessThan(10_000)
    expect((error as ModelGateError).code).toBe('MG_CANCELLED')
    await sleep(100)
    expect(alive(pid)).toBe(false)
    expect(existsSync(temp)).toBe(false)
  })

  it('when the online path fails: the batch command is stopped and its folder removed before checkSkew returns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-cmd-test-'))
    const batch = batchCommand(hangingCommand(dir), { timeoutMs: 600_000 })
    const failing: FeaturePath = {
      kind: 'online',
      name: 'down',
      compute: async () => {
        await waitFor(join(dir, 'pid'))
        throw new Error('service down')
      },
    }
    const error = await checkSkew({ input, key: 'id', batch, online: failing }).catch((e: unknown) => e)
    expect((error as Error).message).toBe('service down')
    const pid = Number(await waitFor(join(dir, 'pid')))
    await sleep(100)
    expect(alive(pid)).toBe(false)
    expect(existsSync(await waitFor(join(dir, 'tmp')))).toBe(false)
  })

  it('quotes the last stderr lines without the rows they echo', async () => {
    const batch = batchCommand('head -3 {input} >&2; exit 3 # {output}')
    const error = await checkSkew({ input, key: 'id', batch, online }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/exited with code 3/)
    expect((error as Error).message).not.toMatch(/row\d@example\.org/)
  })
})
