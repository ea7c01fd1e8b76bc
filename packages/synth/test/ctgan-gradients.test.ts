// The CTGAN trainer differentiates by hand (no autodiff tape). These tests hold its gradients to central
// finite differences of the very same loss: the random draws of a step are replayed from the Rng state.
import type { Column, Table } from '@modelgate/core'
import type * as TF from '@tensorflow/tfjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CondSampler } from '../src/ctgan/internal/CondSampler.js'
import { CtganTrainer } from '../src/ctgan/internal/CtganTrainer.js'
import { encodeTable, fitDataTransformer } from '../src/ctgan/internal/DataTransformer.js'
import { loadTf } from '../src/ctgan/internal/loadTf.js'
import type { Tf } from '../src/ctgan/internal/loadTf.js'
import { createNetworks, discriminatorVariables, generatorVariables } from '../src/ctgan/internal/networks.js'
import type { Architecture } from '../src/ctgan/internal/networks.js'
import { Rng } from '../src/ctgan/internal/Rng.js'
import type { ColumnModel } from '../src/modelFile.js'

let tf: Tf
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
  tf = (await loadTf('cpu')).tf
  const { table, models } = smallTable(200)
  const spec = fitDataTransformer(table, models)
  const encoded = encodeTable(spec, models, table, new Rng(1))
  const spans: [number, number][] = spec.columns.flatMap((c) => (c.type === 'unlearned' ? [] : [[c.spanStart, c.spanSize] as [number, number]]))
  spans.sort((a, b) => a[0] - b[0])
  const arch: Architecture = { embeddingDim: 6, generatorDims: [8, 8], discriminatorDims: [8, 8], pac: 2, dataDim: spec.dataDim, condDim: spec.condDim, numContinuous: spec.numContinuous, spans, condOffset: spec.condOffset }
  const nets = createNetworks(tf, arch, new Rng(2))
  trainer = new CtganTrainer(tf, arch, nets, encoded, new CondSampler(spec), {
    batchSize: 20, learningRate: 2e-4, beta1: 0.5, beta2: 0.9, generatorDecay: 0, discriminatorDecay: 0, gradientPenalty: 10, tau: 0.2, discriminatorSteps: 1, dropout: 0.5,
  }, new Rng(3))
})

afterAll(() => trainer?.dispose())

/** Central differences of `loss` at a few coordinates of each variable, the Rng replayed for every evaluation. */
function checkGradients(variables: TF.Variable[], run: () => { loss: number; grads: TF.Tensor[][] }): void {
  const state = trainer.rng.state()
  const analytic = tf.tidy(() => run().grads.map((parts) => parts.map((p) => p.dataSync() as Float32Array).reduce((a, b) => a.map((x, i) => x + b[i]!))))
  const lossAt = (): number => {
    trainer.rng = new Rng(state)
    return tf.tidy(() => run().loss)
  }
  const h = 3e-4
  let compared = 0
  variables.forEach((v, vi) => {
    const base = Float32Array.from(v.dataSync() as Float32Array)
    const grad = analytic[vi]!
    // The three largest-gradient coordinates of this variable.
    const order = Array.from(grad.keys()).sort((a, b) => Math.abs(grad[b]!) - Math.abs(grad[a]!)).slice(0, 3)
    for (const j of order) {
      if (Math.abs(grad[j]!) < 1e-3) continue
      const set = (delta: number): void => {
        const next = Float32Array.from(base)
        next[j] = base[j]! + delta
        v.assign(tf.tensor(next, v.shape))
        // The trainer keeps host copies and device transposes of its weights: refresh them.
        trainer.optD.syncFromDevice()
        trainer.optG.syncFromDevice()
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
