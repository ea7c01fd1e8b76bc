// The CTGAN trainer differentiates by hand (no autodiff tape). These tests hold its gradients to central
// finite differences of the very same loss: the random draws of a step are replayed from the Rng state.
import type { Column, Table } from '@modelgate/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CondSampler } from '../src/ctgan/internal/CondSampler.js'
import { CtganTrainer } from '../src/ctgan/internal/CtganTrainer.js'
import { encodeTable, fitDataTransformer } from '../src/ctgan/internal/DataTransformer.js'
import { loadEngine } from '../src/ctgan/internal/loadEngine.js'
import type { MatrixEngine } from '../src/ctgan/internal/MatrixEngine.js'
import { createNetworks, discriminatorVariables, generatorVariables } from '../src/ctgan/internal/networks.js'
import type { Architecture, Weight } from '../src/ctgan/internal/networks.js'
import { Rng } from '../src/ctgan/internal/Rng.js'
import type { ColumnModel } from '../src/modelFile.js'

let engine: MatrixEngine
let trainer: CtganTrainer

function smallTable(n: number): { table: Table; models: ColumnModel[] } {
  const rng = new Rng(5)
  const x = new Float64Array(n)
  const codes = new Int32Array(n)
  const flag = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    codes[i] = rng.int(3)
    x[i] = codes[i]! * 10 + rng.normal()
    flag[i] = rng.uniform() < 0.3 ? 1 : 0
  }
  const columns: Column[] = [
    { kind: 'numeric', name: 'x', values: x, valid: null },
    { kind: 'categorical', name: 'group', codes, dictionary: ['a', 'b', 'c'] },
    { kind: 'boolean', name: 'flag', values: flag, valid: null },
  ]
  const models: ColumnModel[] = [
    { name: 'x', kind: 'numeric', nullRate: 0, min: -5, max: 30, decimals: null, roundTo: null, spikes: [], continuous: null },
    { name: 'group', kind: 'categorical', nullRate: 0, categories: ['a', 'b', 'c'].map((value) => ({ value, p: 1 / 3 })), rare: { mode: 'drop', label: null, p: 0 } },
    { name: 'flag', kind: 'boolean', nullRate: 0, pTrue: 0.3 },
  ]
  return { table: { numRows: n, columns }, models }
}

beforeAll(async () => {
  engine = await loadEngine(process.env.MG_CTGAN_TEST_BACKEND === 'cpu' ? 'cpu' : 'onnxruntime', { threads: 1 })
  const { table, models } = smallTable(200)
  const spec = fitDataTransformer(table, models)
  const encoded = encodeTable(spec, models, table, new Rng(1))
  const spans: [number, number][] = spec.columns.flatMap((c) => (c.type === 'unlearned' || c.type === 'derived' ? [] : [[c.spanStart, c.spanSize] as [number, number]]))
  spans.sort((a, b) => a[0] - b[0])
  const arch: Architecture = { embeddingDim: 6, generatorDims: [8, 8], discriminatorDims: [8, 8], pac: 2, dataDim: spec.dataDim, condDim: spec.condDim, numContinuous: spec.numContinuous, spans, condOffset: spec.condOffset }
  const nets = createNetworks(arch, new Rng(2))
  trainer = new CtganTrainer(engine, arch, nets, encoded, new CondSampler(spec), {
    batchSize: 20, learningRate: 2e-4, beta1: 0.5, beta2: 0.9, generatorDecay: 0, discriminatorDecay: 0, gradientPenalty: 10, tau: 0.2, discriminatorSteps: 1, dropout: 0.5, generatorAverage: 0,
  }, new Rng(3))
})

afterAll(() => engine?.dispose())

/** Central differences of `loss` at a few coordinates of each variable, the Rng replayed for every evaluation. */
function checkGradients(variables: Weight[], run: () => { loss: number; grads: Float32Array[][] }): void {
  const state = trainer.rng.state()
  const analytic = run().grads.map((parts) => parts.reduce((a, b) => a.map((x, i) => x + b[i]!)))
  const lossAt = (): number => {
    trainer.rng = new Rng(state)
    return run().loss
  }
  const h = 3e-4
  let compared = 0
  variables.forEach((v, vi) => {
    const base = Float32Array.from(v.values)
    const grad = analytic[vi]!
    // The three largest-gradient coordinates of this variable.
    const order = Array.from(grad.keys()).sort((a, b) => Math.abs(grad[b]!) - Math.abs(grad[a]!)).slice(0, 3)
    for (const j of order) {
      if (Math.abs(grad[j]!) < 1e-3) continue
      const set = (delta: number): void => {
        v.values[j] = base[j]! + delta
      }
      set(h)
      const up = lossAt()
      set(-h)
      const down = lossAt()
      set(0)
      const numeric = (up - down) / (2 * h)
      expect(Math.abs(numeric - grad[j]!)).toBeLessThan(0.05 * Math.abs(grad[j]!) + 2e-3)
      compared++
    }
  })
  trainer.rng = new Rng(state)
  expect(compared).toBeGreaterThan(variables.length)
}

describe('CTGAN hand-written gradients', () => {
  it('match finite differences of the discriminator loss, gradient penalty included', () => {
    checkGradients(discriminatorVariables(trainer.nets), () => trainer.discriminatorGradients())
  })

  it('match finite differences of the generator loss, batch norm, Gumbel-softmax and condition loss included', () => {
    checkGradients(generatorVariables(trainer.nets), () => trainer.generatorGradients())
  })
})
