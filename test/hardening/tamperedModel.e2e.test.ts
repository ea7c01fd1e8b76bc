// Issue #12: a tampered copula model file (gamma with min > max, α = 1e-300, 1,500 copula dimensions naming one column,
// a huge array, quantiles of ±1.7e308) hung, ignored SIGTERM, aborted V8 or wrote `Infinity`. The loader checks
// meaning as well as shape and every sampling loop is bounded: each is MG_SYNTH_MODEL_CORRUPT, exit 2, in seconds.
// Through the built binary in a child process, so that a hang fails the test instead of blocking it.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const bin = resolve(dirname(fileURLToPath(import.meta.url)), '../../packages/cli/bin/modelgate.js')
const dir = mkdtempSync(join(tmpdir(), 'mg-tampered-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function modelgate(...args: string[]): { status: number | null; stdout: string; stderr: string; ms: number } {
  const started = Date.now()
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 30_000,
    killSignal: 'SIGKILL',
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started }
}

type Model = {
  columns: Record<string, unknown>[]
  copula: { dims: { column: string; part: string }[]; correlation: number[][] }
}
let model: Model

beforeAll(() => {
  // income ~ gamma, score ~ beta, age integer with spikes, segment categorical (deterministic data).
  const lines = ['age,income,segment,score']
  for (let i = 0; i < 400; i++) {
    const u = ((i * 7919) % 400) / 400
    lines.push(
      `${18 + (i % 73)},${(3000 + 40000 * u * u + 13 * i).toFixed(2)},${'abc'[i % 3]},${(0.05 + 0.6 * u * (1 - u) * 3).toFixed(4)}`,
    )
  }
  writeFileSync(join(dir, 't.csv'), `${lines.join('\n')}\n`)
  const train = modelgate('synth', 'train', '--data', 't.csv', '--out', 'model.json')
  expect(train.status).toBe(0)
  model = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Model
}, 120_000)

function tampered(name: string, edit: (m: Model) => void): string {
  const m = structuredClone(model)
  edit(m)
  writeFileSync(join(dir, name), JSON.stringify(m))
  return name
}

function numeric(m: Model, name: string): Record<string, unknown> {
  return m.columns.find((c) => c.name === name) as Record<string, unknown>
}

function expectRefused(file: string, why: RegExp): void {
  const r = modelgate('synth', 'generate', '--model', file, '--rows', '1000', '--out', `${file}.csv`)
  expect(r.stderr).toMatch(/MG_SYNTH_MODEL_CORRUPT/)
  expect(r.stderr).toMatch(why)
  expect(r.status).toBe(2)
  expect(r.ms).toBeLessThan(20_000)
  expect(r.stderr).not.toMatch(/internal error|Infinity/)
}

describe('tampered copula model files are refused, fast, with exit 2', () => {
  it('a gamma column with min > max', () => {
    const file = tampered('minmax.json', (m) => {
      const c = numeric(m, 'income')
      ;[c.min, c.max] = [c.max, c.min]
      c.continuous = { weight: 1, family: 'gamma', shape: 2, scale: 1e-9, loc: c.min as number, ks: 0.01 }
    })
    expectRefused(file, /"income".*min .* greater than its max/)
  })

  it('a gamma far from the origin, where a step of the quantile search no longer moves it, no longer hangs', () => {
    const file = tampered('gamma.json', (m) => {
      const c = numeric(m, 'income')
      c.min = 1e17
      c.max = 1e17
      c.continuous = { weight: 1, family: 'gamma', shape: 2, scale: 1e10, loc: 1e17, ks: 0.01 }
    })
    // Valid in shape and meaning (a degenerate but finite gamma): the sampler must finish, bounded, and write numbers.
    const r = modelgate('synth', 'generate', '--model', file, '--rows', '100', '--out', 'gamma.csv')
    expect(r.ms).toBeLessThan(20_000)
    expect(r.status).toBe(0)
    expect(readFileSync(join(dir, 'gamma.csv'), 'utf8')).not.toMatch(/Infinity|NaN/)
  })

  it('a beta with α = 1e-300', () => {
    const file = tampered('alpha.json', (m) => {
      const c = numeric(m, 'score')
      c.continuous = { ...(c.continuous as object), family: 'beta', alpha: 1e-300 }
    })
    expectRefused(file, /"score".*alpha/)
  })

  it('1,500 copula dimensions naming one column', () => {
    const file = tampered('dims.json', (m) => {
      const d = 1500
      m.copula.dims = Array.from({ length: d }, () => ({ column: 'income', part: 'value' }))
      m.copula.correlation = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)))
    })
    expectRefused(file, /copula .*"income".* more than once/)
  })

  it('quantiles of ±1.7e308', () => {
    const file = tampered('huge.json', (m) => {
      const c = numeric(m, 'income')
      c.min = -1.7e308
      c.max = 1.7e308
      c.continuous = { weight: 1, family: 'empirical', quantiles: [-1.7e308, 0, 1.7e308], ks: 0.01 }
    })
    expectRefused(file, /"income".*too large/)
  })

  it('empirical quantiles out of order', () => {
    const file = tampered('order.json', (m) => {
      numeric(m, 'income').continuous = { weight: 1, family: 'empirical', quantiles: [5, 3, 9], ks: 0.01 }
    })
    expectRefused(file, /"income".*quantiles .*order/)
  })

  it('a model file of 600 MB is refused before it is read', () => {
    const file = join(dir, 'big.json')
    writeFileSync(file, '{')
    truncateSync(file, 600 * 1024 * 1024)
    expectRefused('big.json', /600 MB|larger than/)
  })
})

describe('a long generation honours SIGTERM', () => {
  it('stops within seconds, writes no partial file, exits 1 (MG_CANCELLED)', async () => {
    const child = spawn(
      process.execPath,
      [bin, 'synth', 'generate', '--model', 'model.json', '--rows', '50000000', '--out', 'long.csv'],
      {
        cwd: dir,
      },
    )
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    // Once rows are being written (the temporary file beside long.csv exists), the command is running.
    for (let i = 0; i < 600 && !readdirSync(dir).some((f) => f !== 'long.csv' && f.includes('long.csv')); i++)
      await new Promise((r) => setTimeout(r, 50))
    await new Promise((r) => setTimeout(r, 300))
    const sent = Date.now()
    child.kill('SIGTERM')
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)))
    expect(Date.now() - sent).toBeLessThan(10_000)
    expect(code).toBe(1)
    expect(stderr).toMatch(/SIGTERM: stopping/)
    expect(readdirSync(dir).filter((f) => f.includes('long.csv'))).toEqual([])
  }, 60_000)
})
