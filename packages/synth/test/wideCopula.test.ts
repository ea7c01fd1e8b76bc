import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Column } from '@modelgate/core'
import { tableFromColumns } from '@modelgate/core'
import type { SynthModel, SynthModelFile } from '@modelgate/synth'
import {
  DENSE_COPULA_MAX_DIMS,
  fitSynthModelFile,
  loadSynthModel,
  MAX_COPULA_COLUMNS,
  parseSynthModelFile,
  trainSynthesizer,
} from '@modelgate/synth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { wideTable } from './wideTable.js'

/** Latent correlation of dimensions i and j of a factor copula section. */
function latent(file: SynthModelFile, i: number, j: number): number {
  const copula = file.copula
  if (copula === undefined || !('loadings' in copula)) throw new Error('not a factor copula')
  const a = copula.loadings[i] as number[]
  const b = copula.loadings[j] as number[]
  return a.reduce((s, x, k) => s + x * (b[k] as number), 0)
}

function codesOf(c: Column | undefined): Int32Array {
  if (c?.kind !== 'categorical') throw new Error('not categorical')
  return c.codes
}

// 300 columns × 3,400 rows: over a million cells, so with a signal the fit runs in a worker thread.
const wide = wideTable({ columns: 300, rows: 3400, factors: 4, seed: 11 })
let model: SynthModel
let file: SynthModelFile
let dir: string

beforeAll(async () => {
  model = await trainSynthesizer(wide.table, { seed: 1, signal: new AbortController().signal })
  file = model.toJSON()
  dir = await mkdtemp(path.join(tmpdir(), 'mg-wide-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('the factor copula on a wide table', () => {
  it('is chosen above 128 latent dimensions, with the number of factors the data has', () => {
    expect(DENSE_COPULA_MAX_DIMS).toBe(128)
    const copula = file.copula
    expect(copula !== undefined && 'loadings' in copula).toBe(true)
    if (copula === undefined || !('loadings' in copula)) return
    expect(copula.version).toBe(2)
    expect(copula.dims).toHaveLength(300)
    expect(copula.loadings[0]).toHaveLength(4)
    // The thread's fit is the calling thread's fit.
    expect(file).toEqual(fitSynthModelFile(wide.table, { seed: 1 }))
  })

  it('recovers the known latent correlation of every pair of columns', () => {
    // A categorical column's latent order is learned up to its direction (orderCategories): orient each one first.
    const orientation = Array.from({ length: 300 }, (_, i) => {
      if (i % 5 !== 3) return 1
      let s = 0
      for (let j = 0; j < 300; j++) if (j !== i) s += latent(file, i, j) * wide.correlation(i, j)
      return Math.sign(s)
    })
    let squared = 0
    let pairs = 0
    let worst = 0
    for (let i = 0; i < 300; i++)
      for (let j = i + 1; j < 300; j++) {
        const error =
          (orientation[i] as number) * (orientation[j] as number) * latent(file, i, j) - wide.correlation(i, j)
        squared += error * error
        worst = Math.max(worst, Math.abs(error))
        pairs++
      }
    // 44,850 pairs from 3,000 rows (sampling error of one correlation ≈ 0.015), through ranks, ties and categories.
    expect(Math.sqrt(squared / pairs)).toBeLessThan(0.03)
    expect(worst).toBeLessThan(0.15)
  })

  it('generates rows that keep the dependence: a categorical column and the column loading on the same factor', async () => {
    const rows = model.sample(4000, { seed: 3 })
    // f0003 (categorical low/mid/high) and f0008 (categorical) load on factors 3 and 0; f0003 and f0023 both on 3.
    const a = codesOf(rows.columns.find((c) => c.name === 'f0003'))
    const b = codesOf(rows.columns.find((c) => c.name === 'f0023'))
    const realA = codesOf(wide.table.columns[3])
    const realB = codesOf(wide.table.columns[23])
    const agreement = (x: Int32Array, y: Int32Array, dictX: readonly string[], dictY: readonly string[]): number => {
      let same = 0
      for (let r = 0; r < x.length; r++) if (dictX[x[r] as number] === dictY[y[r] as number]) same++
      return same / x.length
    }
    const dict = (c: Column | undefined): readonly string[] => (c?.kind === 'categorical' ? c.dictionary : [])
    const real = agreement(realA, realB, dict(wide.table.columns[3]), dict(wide.table.columns[23]))
    const synthetic = agreement(
      a,
      b,
      dict(rows.columns.find((c) => c.name === 'f0003')),
      dict(rows.columns.find((c) => c.name === 'f0023')),
    )
    expect(Math.abs(wide.correlation(3, 23))).toBeGreaterThan(0.2)
    expect(Math.abs(synthetic - real)).toBeLessThan(0.04)
  })

  it('saves and loads the factor section, sampling the same rows', async () => {
    const out = path.join(dir, 'wide.json')
    await model.save(out)
    const loaded = await loadSynthModel(out)
    const a = model.sample(500, { seed: 5 })
    const b = loaded.sample(500, { seed: 5 })
    expect(
      b.columns.map((c) => Array.from(c.kind === 'categorical' ? c.codes : (c.values as ArrayLike<number>))),
    ).toEqual(a.columns.map((c) => Array.from(c.kind === 'categorical' ? c.codes : (c.values as ArrayLike<number>))))
  })

  it('samples conditionally through the factors: every row matches, and a column on the same factor shifts', async () => {
    const high = model.sample(2000, { seed: 4, where: { f0003: 'high' } })
    const low = model.sample(2000, { seed: 4, where: { f0003: 'low' } })
    const f3 = high.columns.find((c) => c.name === 'f0003')
    expect(f3?.kind === 'categorical' && [...f3.codes].every((code) => f3.dictionary[code] === 'high')).toBe(true)
    // f0011 (numeric, 50 + 10 z) loads on factor 3 as f0003 does.
    const mean = (t: typeof high): number => {
      const c = t.columns.find((x) => x.name === 'f0011')
      if (c?.kind !== 'numeric') throw new Error('f0011')
      return c.values.reduce((s, x) => s + x, 0) / c.values.length
    }
    const rho = wide.correlation(3, 11)
    expect(Math.abs(rho)).toBeGreaterThan(0.2)
    expect(Math.sign(mean(high) - mean(low))).toBe(Math.sign(rho))
    expect(Math.abs(mean(high) - mean(low))).toBeGreaterThan(5 * Math.abs(rho))
  })

  it('refuses a copula section of a newer version, and a section whose loadings leave no uniqueness', async () => {
    const newer = JSON.parse(JSON.stringify(file)) as { copula: { version: number } }
    newer.copula.version = 3
    expect(() => parseSynthModelFile(newer, 'new.json')).toThrow(
      expect.objectContaining({
        code: 'MG_SYNTH_MODEL_VERSION',
        message: 'new.json holds a copula section of version 3; this ModelGate reads version 2.',
      }),
    )
    const broken = JSON.parse(JSON.stringify(file)) as { copula: { loadings: number[][] } }
    broken.copula.loadings[7] = [0.9, 0.5, 0, 0]
    await writeFile(path.join(dir, 'broken.json'), JSON.stringify(broken))
    await expect(loadSynthModel(path.join(dir, 'broken.json'))).rejects.toMatchObject({
      code: 'MG_SYNTH_MODEL_CORRUPT',
      message: expect.stringContaining('the factor loadings of row 8 leave it no uniqueness'),
    })
    expect(JSON.parse(await readFile(path.join(dir, 'wide.json'), 'utf8')).copula.structure).toBe('factor')
  })
})

describe('wide-table limits and cancellation', () => {
  it('refuses a table wider than the documented column limit, naming the limit', async () => {
    const columns: Column[] = Array.from({ length: MAX_COPULA_COLUMNS + 1 }, (_, j) => ({
      kind: 'numeric',
      name: `c${j}`,
      values: Float64Array.from([1, 2, 3]),
      valid: null,
    }))
    await expect(trainSynthesizer(tableFromColumns(columns), { source: 'wide.csv' })).rejects.toMatchObject({
      code: 'MG_SYNTH_TOO_MANY_COLUMNS',
      message: 'The training data in wide.csv has 10,001 columns; the Gaussian copula learns at most 10,000.',
    })
  })

  it('stops a fit of a large table at once when its signal is aborted', async () => {
    const big = wideTable({ columns: 400, rows: 4000, seed: 3 }).table
    const controller = new AbortController()
    const fit = trainSynthesizer(big, { seed: 1, signal: controller.signal })
    const caught = fit.catch((error: unknown) => error)
    await new Promise((resolve) => setTimeout(resolve, 400))
    const aborted = performance.now()
    controller.abort()
    const error = await caught
    expect(error).toMatchObject({ code: 'MG_CANCELLED', message: 'Training was cancelled; nothing was written.' })
    expect(performance.now() - aborted).toBeLessThan(1000)
  })
})
