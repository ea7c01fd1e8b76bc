import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))

describe('checkSkew with noise control at scale', () => {
  // Each second run is aligned to the input once. When the alignment was recomputed per matched row the work grew
  // with rows² (32,000 rows took 156 s on the 2-core CI machine); 100,000 rows take about a second now. The run is
  // a child process with a deadline because that loop never yields, so vitest's own timeout could not stop it.
  it('aligns 100,000 rows of both paths’ second runs in linear time, second runs in any row order', () => {
    const code = `
      const { checkSkew, batchFunction } = await import('./packages/skew/src/index.ts')
      const n = 100_000
      const input = {
        numRows: n,
        columns: [
          { kind: 'id', name: 'id', values: Array.from({ length: n }, (_, i) => 'r' + i) },
          { kind: 'numeric', name: 'x', values: Float64Array.from({ length: n }, (_, i) => (i * 7919) % 1000), valid: null },
        ],
      }
      const score = (x, jitter) => Float64Array.from(x, (v, i) => Math.log1p(v) + jitter * ((i % 7) - 3))
      const runs = { batch: 0, online: 0 }
      // The second run of each path returns its rows in reverse order (with the key), the online one with
      // jitter up to 3e-6: the noise floor is right only if each run's rows are matched to the input by key.
      const path = (side, jitter) => batchFunction((t) => {
        const x = t.columns[1].values
        if (runs[side]++ === 0) return { numRows: n, columns: [{ kind: 'numeric', name: 'score', values: score(x, 0), valid: null }] }
        const ids = t.columns[0].values.slice().reverse()
        const values = score(x, jitter).reverse()
        return { numRows: n, columns: [{ kind: 'id', name: 'id', values: ids }, { kind: 'numeric', name: 'score', values, valid: null }] }
      })
      const report = await checkSkew({ input, key: 'id', batch: path('batch', 0), online: path('online', 1e-6), noise: 'both' })
      const f = report.features[0]
      console.log(JSON.stringify({ verdict: report.verdict, matched: report.rows.matched, feature: f.feature, noiseFloor: f.noiseFloor }))
    `
    const out = execFileSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', code],
      { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 },
    )
    const result = JSON.parse(out.trim().split('\n').pop() as string)
    expect(result).toMatchObject({ verdict: 'pass', matched: 100_000, feature: 'score' })
    expect(result.noiseFloor).toBeCloseTo(3e-6, 12)
  }, 90_000)
})
