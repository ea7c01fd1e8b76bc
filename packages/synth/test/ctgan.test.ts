import { execFileSync } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Column, Table } from '@modelgate/core'
import { readTable, sliceTable } from '@modelgate/core'
import type { ColumnModel, CtganModel, CtganOptions } from '@modelgate/synth'
import {
  fitCtgan,
  fitSynthModelFile,
  loadCtganModel,
  loadSynthModel,
  parseSynthModelFile,
  trainSynthesizer,
} from '@modelgate/synth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTf } from '../src/ctgan/internal/engine/loadTf.js'
import { adultPath, column, repoRoot, textValues, transactionsPath } from './helpers.js'

const FAST: CtganOptions = { epochs: 2, seed: 7, backend: 'onnxruntime', threads: 2 }

let adult: Table
/** Trained once with FAST; tests that only read it share it. */
let model: CtganModel
/** What `model`'s training reported, and the checkpoint it wrote after epoch 1 of 2. */
const progress: string[] = []
let checkpoint: string
let dir: string

beforeAll(async () => {
  adult = sliceTable(await readTable(adultPath), 0, 1000)
  dir = await mkdtemp(path.join(tmpdir(), 'mg-ctgan-'))
  checkpoint = path.join(dir, 'ckpt.json')
  model = await fitCtgan(adult, {
    ...FAST,
    checkpoint: { path: checkpoint, every: 1 },
    onProgress: (p) =>
      progress.push(`${p.phase}:${p.epoch}:${p.backend}:${Number.isFinite(p.lossG) && Number.isFinite(p.lossD)}`),
  })
})

afterAll(async () => {
  model?.dispose()
  await rm(dir, { recursive: true, force: true })
})

function codesOf(table: Table, name: string): string[] {
  const c = column(table, name)
  if (c.kind !== 'categorical') throw new Error(`${name} is ${c.kind}`)
  return Array.from(c.codes, (code) => (code < 0 ? '' : c.dictionary[code]!))
}

function numbersOf(table: Table, name: string): number[] {
  const c = column(table, name)
  if (c.kind !== 'numeric' && c.kind !== 'integer') throw new Error(`${name} is ${c.kind}`)
  return Array.from(c.values)
}

describe('CTGAN loading', () => {
  it('does not load TensorFlow.js when @modelgate/synth is imported, only when a CTGAN model is trained or loaded', () => {
    // One fresh process (this one has TensorFlow.js loaded): import the package, then start a backend.
    const code = [
      "await import('./packages/synth/src/index.ts')",
      'const afterImport = globalThis._tfengine === undefined',
      "const m = await import('./packages/synth/src/ctgan/internal/engine/loadTf.ts')",
      "await m.loadTf('wasm')",
      'console.log(JSON.stringify({ afterImport, afterLoad: globalThis._tfengine === undefined }))',
    ].join('; ')
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).trim()
    expect(JSON.parse(out)).toEqual({ afterImport: true, afterLoad: false })
  })
})

describe('CTGAN training', () => {
  it('produces every column of the training data with the learned kinds and bounds', () => {
    const out = model.sample(1000, { seed: 1 })
    expect(out.numRows).toBe(1000)
    expect(out.columns.map((c) => c.name)).toEqual(adult.columns.map((c) => c.name))
    const ages = numbersOf(out, 'age')
    const real = numbersOf(adult, 'age')
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(Math.min(...real))
    expect(Math.max(...ages)).toBeLessThanOrEqual(Math.max(...real))
    expect(ages.every(Number.isInteger)).toBe(true)
    const known = new Set(codesOf(adult, 'workclass'))
    expect(codesOf(out, 'workclass').every((v) => known.has(v))).toBe(true)
  })

  it('is reproducible: the same seed trains the same model and draws the same rows', async () => {
    // `model` wrote a checkpoint while training; this run does not: writing one must not change the model.
    const again = await fitCtgan(adult, FAST)
    try {
      expect(again.losses).toEqual(model.losses)
      expect(numbersOf(again.sample(500, { seed: 4 }), 'fnlwgt')).toEqual(
        numbersOf(model.sample(500, { seed: 4 }), 'fnlwgt'),
      )
      expect(numbersOf(model.sample(500, { seed: 5 }), 'fnlwgt')).not.toEqual(
        numbersOf(model.sample(500, { seed: 4 }), 'fnlwgt'),
      )
    } finally {
      again.dispose()
    }
  })

  it('trains on TensorFlow.js (wasm) too, with the number of live tensors flat from epoch to epoch (no leaks)', async () => {
    const { tf } = await loadTf('wasm')
    const counts: number[] = []
    const m = await fitCtgan(adult, {
      ...FAST,
      backend: 'wasm',
      epochs: 4,
      onProgress: (p) => p.phase === 'epoch' && counts.push(tf.memory().numTensors),
    })
    try {
      expect(m.backend).toBe('wasm')
      expect(counts).toHaveLength(4)
      expect(new Set(counts).size).toBe(1)
      // The same seed on ONNX Runtime with one thread (one replica, as tfjs trains): the same draws and the
      // same arithmetic up to float32 rounding.
      const onnx = await fitCtgan(adult, { ...FAST, threads: 1, epochs: 1 })
      onnx.dispose()
      expect(m.losses[0]!.lossD).toBeCloseTo(onnx.losses[0]!.lossD, 3)
      expect(m.losses[0]!.lossG).toBeCloseTo(onnx.losses[0]!.lossG, 3)
      expect(m.sample(50, { seed: 1 }).numRows).toBe(50)
    } finally {
      m.dispose()
    }
  })

  it('reports per-epoch generator and discriminator losses and the backend used', () => {
    expect(progress).toEqual([
      'transform:0:onnxruntime:true',
      'epoch:1:onnxruntime:true',
      'epoch:2:onnxruntime:true',
      'done:2:onnxruntime:true',
    ])
  })

  it('rejects with MG_CANCELLED when cancelled, and writes nothing', async () => {
    const controller = new AbortController()
    const before = await readdir(dir)
    const run = fitCtgan(adult, {
      ...FAST,
      epochs: 50,
      signal: controller.signal,
      checkpoint: { path: path.join(dir, 'never.json'), every: 100 },
      onProgress: (p) => p.phase === 'epoch' && controller.abort(),
    })
    await expect(run).rejects.toMatchObject({ code: 'MG_CANCELLED' })
    expect(await readdir(dir)).toEqual(before)
  })

  it('resumes from a checkpoint to exactly the model an uninterrupted run trains', async () => {
    // The checkpoint holds epoch 1 of `model`'s 2; resuming trains epoch 2 again.
    const resumed = await fitCtgan(adult, { ...FAST, epochs: 2, resumeFrom: checkpoint })
    try {
      expect(resumed.epochsTrained).toBe(2)
      expect(resumed.losses).toHaveLength(2)
      expect(resumed.losses).toEqual(model.losses)
      expect(numbersOf(resumed.sample(300, { seed: 2 }), 'age')).toEqual(
        numbersOf(model.sample(300, { seed: 2 }), 'age'),
      )
    } finally {
      resumed.dispose()
    }
  })

  it('refuses to resume a checkpoint on data that lacks one of its columns', async () => {
    const fewer: Table = { numRows: adult.numRows, columns: adult.columns.filter((c) => c.name !== 'income') }
    await expect(fitCtgan(fewer, { ...FAST, epochs: 3, resumeFrom: checkpoint })).rejects.toMatchObject({
      code: 'MG_SYNTH_CHECKPOINT_MISMATCH',
    })
  })

  it('names the backend it could not start when tfjs-node is forced but not installed', async () => {
    await expect(fitCtgan(adult, { ...FAST, backend: 'tensorflow' })).rejects.toMatchObject({
      code: 'MG_SYNTH_BACKEND_UNAVAILABLE',
      hint: expect.stringContaining('@tensorflow/tfjs-node'),
    })
  })

  it('rejects a batch size that is not a multiple of pac', async () => {
    await expect(fitCtgan(adult, { ...FAST, batchSize: 505 })).rejects.toMatchObject({ code: 'MG_SYNTH_BAD_OPTION' })
  })
})

describe('CTGAN conditional sampling', () => {
  it('generates only rows meeting a --where on a category, through the conditional vector', () => {
    const out = model.sample(800, { seed: 3, where: { sex: 'Female' } })
    expect(out.numRows).toBe(800)
    expect(new Set(codesOf(out, 'sex'))).toEqual(new Set(['Female']))
  })

  it('conditions on a numeric value by rejection: every row has age 40', () => {
    const out = model.sample(200, { seed: 5, where: { age: 40 } })
    expect(out.numRows).toBe(200)
    expect(new Set(numbersOf(out, 'age'))).toEqual(new Set([40]))
    expect(() => model.sample(10, { where: { age: 400 } })).toThrow(
      expect.objectContaining({ code: 'MG_SYNTH_WHERE_IMPOSSIBLE' }),
    )
  })

  it('refuses a category the model does not store', () => {
    expect(() => model.sample(10, { where: { sex: 'Martian' } })).toThrow(
      expect.objectContaining({ code: 'MG_SYNTH_WHERE_IMPOSSIBLE' }),
    )
    expect(() => model.sample(10, { where: { nope: 'x' } })).toThrow(
      expect.objectContaining({ code: 'MG_SYNTH_WHERE_INVALID' }),
    )
  })

  it('streams the same rows as sample, chunk by chunk and shard by shard', async () => {
    const whole = model.sample(2500, { seed: 9, chunkRows: 1000 })
    const parts: number[] = []
    for (const shard of [0, 1])
      for await (const chunk of model.stream(2500, { seed: 9, chunkRows: 1000, shard: { index: shard, count: 2 } }))
        parts.push(...numbersOf(chunk, 'age'))
    expect(parts).toEqual(numbersOf(whole, 'age'))
  })

  it('draws the same rows with the worker-thread pipeline as on this thread alone, for sample, stream and where', async () => {
    const file = path.join(dir, 'pipelines.json')
    await model.save(file)
    const draw = async (options: { workerThreads?: boolean; threads?: number }): Promise<string[]> => {
      const m = await loadCtganModel(file, options)
      try {
        const out = [
          ...codesOf(m.sample(5000, { seed: 4, chunkRows: 700 }), 'workclass'),
          ...numbersOf(m.sample(900, { seed: 5, chunkRows: 200, where: { sex: 'Female' } }), 'age').map(String),
        ]
        for await (const chunk of m.stream(3000, { seed: 6, chunkRows: 800 }))
          out.push(...numbersOf(chunk, 'hours-per-week').map(String))
        return out
      } finally {
        m.dispose()
      }
    }
    const alone = await draw({ workerThreads: false, threads: 2 })
    const withWorker = await draw({ threads: 2 })
    const oneThread = await draw({ threads: 1 })
    expect(alone.length).toBe(5000 + 900 + 3000)
    expect(withWorker).toEqual(alone)
    expect(oneThread).toEqual(alone)
  })

  it('skips a chunk nobody collected: a stream left early, then sample and stream again', async () => {
    const m = await loadCtganModel(path.join(dir, 'pipelines.json'), { threads: 2 })
    try {
      const whole = numbersOf(m.sample(4000, { seed: 8, chunkRows: 1000 }), 'age')
      // Chunk 1 (of seed 9) is requested from the worker while chunk 0 is drawn here; leave after chunk 0, so its
      // rows arrive with nobody waiting for them.
      for await (const _ of m.stream(4000, { seed: 9, chunkRows: 1000 })) break
      const again: number[] = []
      for await (const chunk of m.stream(4000, { seed: 8, chunkRows: 1000 })) again.push(...numbersOf(chunk, 'age'))
      expect(again).toEqual(whole)
      expect(numbersOf(m.sample(4000, { seed: 8, chunkRows: 1000 }), 'age')).toEqual(whole)
    } finally {
      m.dispose()
    }
    expect(() => m.sample(10)).toThrow(expect.objectContaining({ code: 'MG_SYNTH_MODEL_DISPOSED' }))
  })
})

describe('CTGAN learning', () => {
  it('learns a dependency a column-by-column model cannot: x follows the mode its group picks', async () => {
    const n = 1500
    const codes = new Int32Array(n)
    const x = new Float64Array(n)
    for (let i = 0; i < n; i++) {
      codes[i] = i % 3
      x[i] = [0, 50, 100][i % 3]! + ((i * 7919) % 13) - 6
    }
    const columns: Column[] = [
      { kind: 'categorical', name: 'group', codes, dictionary: ['low', 'mid', 'high'] },
      { kind: 'numeric', name: 'x', values: x, valid: null },
    ]
    // Small networks, small batches and a larger learning rate, so that 600 steps suffice in a unit test.
    const m = await fitCtgan(
      { numRows: n, columns },
      {
        epochs: 40,
        seed: 1,
        batchSize: 100,
        learningRate: 1e-3,
        generatorDims: [64, 64],
        discriminatorDims: [64, 64],
        embeddingDim: 32,
      },
    )
    try {
      const mean = (group: string): number => {
        const xs = numbersOf(m.sample(400, { seed: 2, where: { group } }), 'x')
        return xs.reduce((a, b) => a + b, 0) / xs.length
      }
      expect(Math.abs(mean('low') - 0)).toBeLessThan(15)
      expect(Math.abs(mean('mid') - 50)).toBeLessThan(15)
      expect(Math.abs(mean('high') - 100)).toBeLessThan(15)
    } finally {
      m.dispose()
    }
  })
})

describe('CTGAN data transformer', () => {
  it('makes a spike an exact point-mass mode: every zero of capital-gain encodes to that mode with α = 0', async () => {
    const { encodeTable } = await import('../src/ctgan/internal/transformer/encodeTable.js')
    const { fitDataTransformer } = await import('../src/ctgan/internal/transformer/fitDataTransformer.js')
    const { Rng } = await import('../src/ctgan/internal/Rng.js')
    const columns = model.toJSON().columns
    const spec = fitDataTransformer(adult, columns)
    const gain = spec.columns.find((c) => c.name === 'capital-gain')
    if (gain?.type !== 'continuous') throw new Error('capital-gain is not continuous')
    expect(gain.pointMasses).toBe(1)
    expect(gain.means[0]).toBe(0)
    expect(gain.stds[0]).toBe(0)
    const { data } = encodeTable(spec, columns, adult, new Rng(1))
    const values = numbersOf(adult, 'capital-gain')
    let zeros = 0
    values.forEach((v, i) => {
      const row = i * spec.dataDim
      const atMass = data[row + gain.spanStart] === 1
      expect(atMass).toBe(v === 0)
      if (atMass) {
        expect(data[row + gain.alphaIndex]).toBe(0)
        zeros++
      }
    })
    expect(zeros / values.length).toBeGreaterThan(0.85)
  })

  it('derives a numeric column that follows a category (education-num of education): generated rows always pair them as the data does', () => {
    const spec = model.toJSON().ctgan as { transformer: { columns: { type: string; name: string }[] } }
    expect(spec.transformer.columns.find((c) => c.name === 'education-num')?.type).toBe('derived')
    const pairs = new Map<string, number>()
    const edu = codesOf(adult, 'education')
    numbersOf(adult, 'education-num').forEach((v, i) => {
      pairs.set(edu[i]!, v)
    })
    const rows = model.sample(2000, { seed: 11 })
    const genEdu = codesOf(rows, 'education')
    const genNum = numbersOf(rows, 'education-num')
    genEdu.forEach((label, i) => {
      expect(genNum[i]).toBe(pairs.get(label))
    })
    // A condition on the derived column is a condition on the column it follows.
    const thirteen = model.sample(50, { seed: 2, where: { 'education-num': 13 } })
    expect(new Set(codesOf(thirteen, 'education'))).toEqual(new Set(['Bachelors']))
    expect(() => model.sample(5, { where: { 'education-num': 99 } })).toThrow(/never takes this value/)
  })

  it('encodes a discrete-valued column as exact values, but never a value seen fewer than k times', async () => {
    const { fitDataTransformer } = await import('../src/ctgan/internal/transformer/fitDataTransformer.js')
    const columns = model.toJSON().columns
    const counts = new Map<number, number>()
    for (const v of numbersOf(adult, 'education-num')) counts.set(v, (counts.get(v) ?? 0) + 1)
    const rare = [...counts].filter(([, c]) => c < 5).map(([v]) => v)
    expect(rare.length).toBeGreaterThan(0)
    const spec = fitDataTransformer(adult, columns, { minCount: 5, derive: false })
    const edu = spec.columns.find((c) => c.name === 'education-num')
    if (edu?.type !== 'continuous') throw new Error('education-num is not continuous')
    const kept = [...counts].filter(([, c]) => c >= 5).map(([v]) => v)
    expect(edu.pointMasses).toBe(kept.length)
    expect(new Set(edu.means.slice(0, edu.pointMasses))).toEqual(new Set(kept))
    for (const v of rare) expect(edu.means.slice(0, edu.pointMasses)).not.toContain(v)
    // A column of many distinct values keeps the Gaussian modes (only its ≥ 10% spikes are point masses).
    const fnlwgt = spec.columns.find((c) => c.name === 'fnlwgt')
    if (fnlwgt?.type !== 'continuous') throw new Error('fnlwgt is not continuous')
    expect(fnlwgt.pointMasses).toBe(0)
    // Value-map knots each stand for at least k rows: capital-gain's non-zero values are few in 1,000 rows.
    const gain = spec.columns.find((c) => c.name === 'capital-gain')
    if (gain?.type !== 'continuous') throw new Error('capital-gain is not continuous')
    const nonZero = numbersOf(adult, 'capital-gain').filter((v) => v !== 0).length
    const knots = (c: typeof gain): number[] => (c.modeMaps ?? []).map((m) => m.real.length)
    expect(knots(gain).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(Math.floor(nonZero / 5))
    // One map per Gaussian mode, at most 64 knots each.
    expect(fnlwgt.modeMaps).toHaveLength(fnlwgt.weights.length)
    expect(Math.max(...knots(fnlwgt))).toBeGreaterThan(0)
    expect(Math.max(...knots(fnlwgt))).toBeLessThanOrEqual(64)
  })

  it("maps values per mode: each mode of a two-cluster column holds only its cluster's quantiles, so no value is mapped across", async () => {
    const { Rng } = await import('../src/ctgan/internal/Rng.js')
    const { fitDataTransformer } = await import('../src/ctgan/internal/transformer/fitDataTransformer.js')
    const rng = new Rng(3)
    const values = Float64Array.from({ length: 3000 }, (_, i) => (i % 10 < 8 ? 50 + 5 * rng.normal() : 99_999))
    const table: Table = { numRows: values.length, columns: [{ kind: 'numeric', name: 'gain', values, valid: null }] }
    const models: ColumnModel[] = [
      {
        name: 'gain',
        kind: 'numeric',
        nullRate: 0,
        min: 0,
        max: 99_999,
        decimals: null,
        roundTo: null,
        spikes: [],
        continuous: null,
      },
    ]
    const [gain] = fitDataTransformer(table, models, { pointMassShare: 2 }).columns
    if (gain?.type !== 'continuous' || gain.modeMaps === undefined) throw new Error('gain has no mode maps')
    for (const [m, map] of gain.modeMaps.entries()) {
      if (map.real.length === 0) continue
      const nearTop = gain.means[gain.pointMasses + m]! > 10_000
      for (const q of map.real) expect(q > 10_000).toBe(nearTop)
    }
    // Both clusters have a mode with knots.
    const withKnots = gain.modeMaps.flatMap((map, m) =>
      map.real.length > 0 ? [gain.means[gain.pointMasses + m]! > 10_000] : [],
    )
    expect(new Set(withKnots)).toEqual(new Set([true, false]))
  })

  it('calibrates values by a monotone quantile map: generated knots go to real knots, order is kept', async () => {
    const { createValueMap } = await import('../src/ctgan/internal/sampling/createValueMap.js')
    const { midpointQuantiles } = await import('../src/ctgan/internal/transformer/modeMapsOf.js')
    // Quantiles at (i + ½)/k of 1…1000 are inside values, never the extremes.
    expect(
      midpointQuantiles(
        Array.from({ length: 1000 }, (_, i) => [i + 1, 1] as [number, number]),
        4,
      ),
    ).toEqual([126, 376, 626, 876])
    expect(midpointQuantiles([[5, 3]], 4)).toEqual([])
    const map = createValueMap({ generated: [0, 1, 2, 3], real: [10, 20, 40, 80] })!
    expect(map(0)).toBe(10)
    expect(map(1.5)).toBe(30)
    expect(map(3)).toBe(80)
    expect(map(4)).toBe(120) // the last segment's slope
    expect(map(-1)).toBe(0)
    const xs = Array.from({ length: 200 }, (_, i) => -2 + i * 0.03)
    const ys = xs.map(map)
    for (let i = 1; i < ys.length; i++) expect(ys[i]!).toBeGreaterThanOrEqual(ys[i - 1]!)
    // Tied generated knots map to the middle of their real knots; an incomplete map is no map.
    expect(createValueMap({ generated: [0, 1, 1, 2], real: [0, 10, 20, 30] })!(1)).toBe(15)
    expect(createValueMap({ generated: [], real: [1, 2] })).toBeNull()
    expect(createValueMap(undefined)).toBeNull()
  })

  it('keeps a mode unmapped when its share of the data reaches beyond the μ ± 4σ the generator can draw from it', async () => {
    const { modeMapsOf } = await import('../src/ctgan/internal/transformer/modeMapsOf.js')
    // Two modes (0 ± 1, 100 ± 1); a far cluster at 1,000 that no mode models falls to the nearer one.
    const rest: [number, number][] = [
      ...Array.from({ length: 400 }, (_, i) => [(i - 200) / 100, 1] as [number, number]),
      ...Array.from({ length: 400 }, (_, i) => [100 + (i - 200) / 100, 1] as [number, number]),
      [1000, 50],
    ]
    const modes = { weights: Float64Array.of(0.5, 0.5), means: Float64Array.of(0, 100), stds: Float64Array.of(1, 1) }
    const { modeMaps } = modeMapsOf(rest, modes, 5)
    expect(modeMaps?.[0]?.real.length).toBeGreaterThan(0)
    expect(modeMaps?.[0]?.real.every((q) => Math.abs(q) <= 4)).toBe(true)
    expect(modeMaps?.[1]?.real).toEqual([])
    // Without the far cluster both modes are mapped.
    expect(modeMapsOf(rest.slice(0, 800), modes, 5).modeMaps?.map((m) => m.real.length > 0)).toEqual([true, true])
  })

  it('calibrates each column under each condition: rows generated with sex = Female pair it with relationship as the data does', async () => {
    // Two epochs leave the generator far from the data's pairs; marginal calibration alone cannot fix a pair.
    const marginalOnly = await fitCtgan(adult, { ...FAST, calibrate: 'marginal' })
    try {
      const shares = (values: string[]): Map<string, number> => {
        const out = new Map<string, number>()
        for (const v of values) out.set(v, (out.get(v) ?? 0) + 1 / values.length)
        return out
      }
      const sexes = codesOf(adult, 'sex')
      const real = shares(codesOf(adult, 'relationship').filter((_, i) => sexes[i] === 'Female'))
      const gapTo = (m: CtganModel): number => {
        const generated = shares(codesOf(m.sample(4000, { seed: 6, where: { sex: 'Female' } }), 'relationship'))
        let tv = 0
        for (const key of new Set([...real.keys(), ...generated.keys()]))
          tv += Math.abs((real.get(key) ?? 0) - (generated.get(key) ?? 0)) / 2
        return tv
      }
      const calibrated = gapTo(model)
      const uncalibrated = gapTo(marginalOnly)
      const calibrationOf = (m: CtganModel): { conditional?: { conditions: number; of: number } } =>
        (m.toJSON().ctgan as { training: { calibration: { conditional?: { conditions: number; of: number } } } })
          .training.calibration
      expect(calibrationOf(model).conditional?.conditions).toBeGreaterThan(0)
      expect(calibrationOf(marginalOnly).conditional).toBeUndefined()
      // What is left is the shrinkage towards the generator (100 pseudo-rows against ~330 real ones).
      expect(calibrated).toBeLessThan(0.12)
      expect(uncalibrated).toBeGreaterThan(2 * calibrated)
    } finally {
      marginalOnly.dispose()
    }
  })

  it('models a bimodal column with the variational Dirichlet-process mixture: mass where the data is, none between', async () => {
    const { fitBayesianGmm } = await import('../src/ctgan/internal/transformer/fitBayesianGmm.js')
    const { Rng } = await import('../src/ctgan/internal/Rng.js')
    const rng = new Rng(1)
    const values = Float64Array.from({ length: 4000 }, (_, i) => (i % 10 < 7 ? rng.normal() : 20 + 2 * rng.normal()))
    const gmm = fitBayesianGmm(values, new Float64Array(values.length).fill(1), {
      maxModes: 10,
      weightThreshold: 0.005,
    })
    const mass = (lo: number, hi: number): number =>
      Array.from(gmm.means).reduce((s, m, j) => (m >= lo && m < hi ? s + gmm.weights[j]! : s), 0)
    expect(gmm.weights.length).toBeLessThanOrEqual(10)
    expect(gmm.weights.every((w) => w >= 0.005)).toBe(true)
    expect(mass(-4, 4)).toBeCloseTo(0.7, 1)
    expect(mass(14, 28)).toBeCloseTo(0.3, 1)
    expect(mass(6, 14)).toBeLessThan(0.01)
  })

  it('draws standard normal noise (ziggurat): mean, variance, kurtosis and normal CDF values within sampling error', async () => {
    const { Rng } = await import('../src/ctgan/internal/Rng.js')
    const n = 400_000
    const x = new Rng(2).fillNormal(new Float32Array(n))
    let mean = 0
    let m2 = 0
    let m4 = 0
    for (const v of x) {
      mean += v
      m2 += v * v
      m4 += v ** 4
    }
    mean /= n
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n))
    expect(Math.abs(m2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n))
    expect(Math.abs(m4 / n - 3)).toBeLessThan(0.05)
    // Φ(−3), Φ(−1), Φ(0.5), Φ(2) (scipy.stats.norm.cdf)
    for (const [at, p] of [
      [-3, 0.0013498980316301],
      [-1, 0.15865525393145707],
      [0.5, 0.6914624612740131],
      [2, 0.9772498680518208],
    ] as const) {
      const share = x.reduce((c, v) => (v <= at ? c + 1 : c), 0) / n
      expect(Math.abs(share - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n) + 1e-5)
    }
  })

  it('fits a single mode to a constant column', async () => {
    const { fitBayesianGmm } = await import('../src/ctgan/internal/transformer/fitBayesianGmm.js')
    const gmm = fitBayesianGmm(Float64Array.of(5), Float64Array.of(100))
    expect(Array.from(gmm.means)).toEqual([5])
    expect(Array.from(gmm.weights)).toEqual([1])
  })
})

describe('CTGAN model files', () => {
  it('saves JSON parameters with tfjs-format weights beside them, and loads back to identical samples', async () => {
    const file = path.join(dir, 'adult-ctgan.json')
    await model.save(file)
    expect((await readdir(dir)).filter((f) => f.startsWith('adult-ctgan'))).toEqual([
      'adult-ctgan.json',
      'adult-ctgan.weights.bin',
    ])
    const json = JSON.parse(await readFile(file, 'utf8'))
    expect(json).toMatchObject({ format: 'modelgate-synth', version: 1, synthesizer: 'ctgan', ctgan: { version: 1 } })
    const manifest = json.ctgan.weightsManifest[0]
    expect(manifest.paths).toEqual(['adult-ctgan.weights.bin'])
    expect(manifest.weights[0]).toMatchObject({ name: 'generator.block0.weight', dtype: 'float32' })
    const loaded = await loadSynthModel(file)
    expect(loaded.synthesizer).toBe('ctgan')
    expect(numbersOf(loaded.sample(300, { seed: 8 }), 'capital-gain')).toEqual(
      numbersOf(model.sample(300, { seed: 8 }), 'capital-gain'),
    )
    ;(loaded as CtganModel).dispose()
  })

  it('refuses weights whose shapes do not match the architecture', async () => {
    const file = path.join(dir, 'bad-shape.json')
    await model.save(file)
    const json = JSON.parse(await readFile(file, 'utf8'))
    json.ctgan.weightsManifest[0].weights[0].shape = [1, 1]
    await writeFile(file, JSON.stringify(json))
    await expect(loadCtganModel(file)).rejects.toMatchObject({ code: 'MG_SYNTH_MODEL_CORRUPT' })
  })

  it("refuses an architecture whose row layout is not its transformer's, before building anything on it", async () => {
    const file = path.join(dir, 'bad-layout.json')
    await model.save(file)
    const json = JSON.parse(await readFile(file, 'utf8'))
    json.ctgan.architecture.spans[0][1] += 1
    await writeFile(file, JSON.stringify(json))
    await expect(loadCtganModel(file)).rejects.toMatchObject({
      code: 'MG_SYNTH_MODEL_CORRUPT',
      message: expect.stringContaining("does not match its transformer's row layout"),
    })
    // Checked with the file, where every synthesizer's section is validated (once): no CTGAN code needed.
    expect(() => parseSynthModelFile(json, 'bad-layout.json')).toThrow(
      "bad-layout.json is not a valid synth model: its CTGAN architecture does not match its transformer's row layout.",
    )
  })

  it('refuses a copula model given to loadCtganModel, naming what it is', async () => {
    const copula = await trainSynthesizer(adult, { seed: 1 })
    await expect(loadCtganModel(copula.toJSON())).rejects.toMatchObject({
      code: 'MG_SYNTH_MODEL_CORRUPT',
      message: 'the model is a copula model, not a CTGAN model.',
    })
  })

  it('refuses a truncated weight file and a newer CTGAN section version', async () => {
    const file = path.join(dir, 'trunc.json')
    await model.save(file)
    const bin = path.join(dir, 'trunc.weights.bin')
    await writeFile(bin, (await readFile(bin)).subarray(0, 1000))
    await expect(loadSynthModel(file)).rejects.toMatchObject({ code: 'MG_SYNTH_MODEL_CORRUPT' })
    const json = JSON.parse(await readFile(file, 'utf8'))
    // The section's version is read first: a newer section's unknown fields are not reported as corruption.
    json.ctgan.version = 2
    json.ctgan.futureField = { kept: true }
    await writeFile(file, JSON.stringify(json))
    await expect(loadSynthModel(file)).rejects.toMatchObject({ code: 'MG_SYNTH_MODEL_VERSION' })
  })
})

describe('CTGAN privacy (same rules as the copula)', () => {
  it('learns the same column profile as the copula: PII types, kept categories and marginals', () => {
    // The copula orders categories along its latent axis; CTGAN keeps profile order. Compare them sorted.
    const sorted = (columns: readonly ColumnModel[]) =>
      columns.map((c) =>
        c.kind === 'categorical'
          ? { ...c, categories: [...c.categories].sort((a, b) => a.value.localeCompare(b.value)) }
          : c,
      )
    const copula = fitSynthModelFile(adult, { seed: 7 }) // FAST.seed
    expect(copula.copula).toBeDefined()
    expect(model.toJSON().copula).toBeUndefined()
    expect(sorted(model.toJSON().columns)).toEqual(sorted(copula.columns))
    expect(model.toJSON().privacy).toEqual(copula.privacy)
  })

  it('never puts a PII value or a rare category into the model file or its weights, and regenerates PII fresh', async () => {
    // 1,500 rows hold two merchant categories seen once each.
    const real = sliceTable(await readTable(transactionsPath), 0, 1500)
    const m = await trainSynthesizer(real, {
      synthesizer: 'ctgan',
      seed: 3,
      pii: { transaction_id: 'id' },
      ctgan: { epochs: 1 },
    })
    try {
      const file = path.join(dir, 'tx.json')
      await (m as CtganModel).save(file)
      const json = await readFile(file, 'latin1')
      // In the float32 weight file, only printable runs could spell a value: scan those.
      const runs = (await readFile(path.join(dir, 'tx.weights.bin'), 'latin1')).match(/[\x20-\x7e]{4,}/g) ?? []
      const bytes = `${json}\n${runs.join('\n')}`
      for (const name of ['transaction_id', 'email', 'phone', 'ip', 'device_id', 'card_number']) {
        expect(m.toJSON().columns.find((c) => c.name === name)).toMatchObject({ kind: 'pii' })
        for (const value of textValues(column(real, name)))
          expect(bytes.includes(value), `${name} value leaked`).toBe(false)
      }
      const counts = new Map<string, number>()
      for (const v of textValues(column(real, 'merchant_category'))) counts.set(v, (counts.get(v) ?? 0) + 1)
      const rare = [...counts].filter(([, c]) => c < 5).map(([v]) => v)
      expect(rare.length).toBeGreaterThan(0)
      for (const v of rare) expect(bytes.includes(v)).toBe(false)
      const out = m.sample(500, { seed: 1 })
      const realEmails = new Set(textValues(column(real, 'email')))
      const emails = textValues(column(out, 'email'))
      expect(emails.length).toBeGreaterThan(400)
      expect(emails.some((e) => realEmails.has(e))).toBe(false)
      for (const v of textValues(column(out, 'merchant_category'))) expect(rare.includes(v)).toBe(false)
      // Datetimes and booleans come back as such, inside the learned range.
      const created = column(out, 'created_at')
      const realCreated = column(real, 'created_at')
      if (created.kind !== 'datetime' || realCreated.kind !== 'datetime')
        throw new Error('created_at is not a datetime')
      const lo = Math.min(...realCreated.values)
      const hi = Math.max(...realCreated.values)
      expect(Array.from(created.values).every((t) => t >= lo && t <= hi)).toBe(true)
      expect(column(out, 'is_fraud').kind).toBe('boolean')
    } finally {
      ;(m as CtganModel).dispose()
    }
  })
})
