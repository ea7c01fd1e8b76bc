import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { writeTable } from '@modelgate/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { wideTable } from '../../synth/test/wideTable.js'

const repoRoot = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: __dirname, encoding: 'utf8' }).trim()
const dir = mkdtempSync(join(tmpdir(), 'mg-cli-wide-'))

beforeAll(async () => {
  // 800 columns × 5,000 rows: a fit of several seconds, in a worker thread.
  await writeTable(join(dir, 'wide.csv'), wideTable({ columns: 800, rows: 5000, seed: 2 }).table)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('modelgate synth train on a wide table, cancelled', () => {
  it('stops on Ctrl-C while reading or fitting a wide table, exits 1 and writes nothing', async () => {
    const bin = resolve(repoRoot, 'packages/cli/bin/modelgate.js')
    const child = spawn(process.execPath, [bin, 'synth', 'train', '--data', 'wide.csv', '--out', 'wide.json'], {
      cwd: dir,
    })
    let err = ''
    let sent = 0
    // The signal is sent once the CLI says the dependence fit has started (its log line), whatever the machine's load.
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString()
      if (sent === 0 && err.includes('copula: fitting the dependence')) {
        sent = performance.now()
        child.kill('SIGINT')
      }
    })
    const guard = setTimeout(() => child.kill('SIGKILL'), 120_000)
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)))
    const latency = performance.now() - sent
    clearTimeout(guard)
    expect(sent).toBeGreaterThan(0)
    expect(err).toContain('Ctrl-C: stopping synth train')
    // The signal lands in the fit (a worker thread, terminated) or, on a loaded machine, still in the reading.
    expect(err).toMatch(
      /error MG_CANCELLED: (Training was cancelled; nothing was written\.|Reading wide\.csv was cancelled; nothing was written\.)/,
    )
    expect(code).toBe(1)
    expect(existsSync(join(dir, 'wide.json'))).toBe(false)
    // Within a second on an idle machine (bench/RESULTS.md); the bound leaves room for the suite loading both cores.
    expect(latency).toBeLessThan(3000)
  })
})
