// The CTGAN trainer differentiates by hand (no autodiff tape). These tests hold its gradients to central
// finite differences of the very same loss: the random draws of a step are replayed from the Rng state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadEngine } from '../src/ctgan/internal/engine/loadEngine.js'
import type { MatrixEngine } from '../src/ctgan/internal/engine/MatrixEngine.js'
import type { Weight } from '../src/ctgan/internal/networks.js'
import { createNetworks, discriminatorVariables, generatorVariables } from '../src/ctgan/internal/networks.js'
import { Rng } from '../src/ctgan/internal/Rng.js'
import { CtganTrainer } from '../src/ctgan/internal/training/CtganTrainer.js'
import { SMALL_HYPERPARAMETERS, smallTrainingSet } from './ctganFixture.js'

let engine: MatrixEngine
let trainer: CtganTrainer

beforeAll(async () => {
  engine = await loadEngine(process.env.MG_CTGAN_TEST_BACKEND === 'cpu' ? 'cpu' : 'onnxruntime', { threads: 1 })
  const { arch, encoded, spec } = smallTrainingSet()
  trainer = new CtganTrainer({
    engine,
    arch,
    nets: createNetworks(arch, new Rng(2)),
    spec,
    encoded,
    hp: { ...SMALL_HYPERPARAMETERS, generatorDecay: 0, discriminatorDecay: 0, generatorAverage: 0 },
    rng: new Rng(3),
  })
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
    const order = Array.from(grad.keys())
      .sort((a, b) => Math.abs(grad[b]!) - Math.abs(grad[a]!))
      .slice(0, 3)
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
