// Data-parallel CTGAN training: replicas in worker threads, each on its share of a batch, meeting at
// barriers in shared memory. Two replicas fed the same draws hold a batch made of one share twice; its
// batch statistics, loss means and gradients are those of the share alone, so the group must train exactly
// as one trainer does on that share.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadEngine } from '../src/ctgan/internal/engine/loadEngine.js'
import type { CtganBackend, MatrixEngine } from '../src/ctgan/internal/engine/MatrixEngine.js'
import type { Architecture, Networks } from '../src/ctgan/internal/networks.js'
import { createNetworks, discriminatorVariables, generatorVariables } from '../src/ctgan/internal/networks.js'
import { Rng } from '../src/ctgan/internal/Rng.js'
import { Adam } from '../src/ctgan/internal/training/Adam.js'
import { CtganTrainer } from '../src/ctgan/internal/training/CtganTrainer.js'
import type { TrainingReplicas } from '../src/ctgan/internal/training/createTrainingReplicas.js'
import { createTrainingReplicas } from '../src/ctgan/internal/training/createTrainingReplicas.js'
import { shardOf } from '../src/ctgan/internal/training/Replicas.js'
import { trainEpoch } from '../src/ctgan/internal/training/trainEpoch.js'
import { SMALL_HYPERPARAMETERS, smallTrainingSet } from './ctganFixture.js'

let engine: MatrixEngine

beforeAll(async () => {
  engine = await loadEngine('onnxruntime', { threads: 1 })
})

afterAll(() => engine?.dispose())

function maxDifference(a: Float32Array, b: Float32Array): number {
  let max = 0
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!))
  return max
}

/**
 * A group of two replicas on the small set (this thread is rank 0, batch = two shares of SMALL_HYPERPARAMETERS'
 * batch) and one trainer alone on one share, from the same initial weights and this thread's Rng seed.
 */
function startPair(options: { workerSeed: number; syncBatchNorm?: boolean; backend?: CtganBackend }): {
  group: TrainingReplicas
  rank0: CtganTrainer
  nets: Networks
  solo: CtganTrainer
  arch: Architecture
} {
  const { arch, encoded, spec } = smallTrainingSet()
  const share = SMALL_HYPERPARAMETERS
  const whole = { ...share, batchSize: 2 * share.batchSize }
  const solo = new CtganTrainer({
    engine,
    arch,
    nets: createNetworks(arch, new Rng(2)),
    spec,
    encoded,
    hp: share,
    rng: new Rng(3),
  })
  const group = createTrainingReplicas(2, arch)
  const nets = createNetworks(arch, new Rng(2))
  const syncBatchNorm = options.syncBatchNorm ?? true
  const rank0 = new CtganTrainer({
    engine,
    arch,
    nets,
    spec,
    encoded,
    hp: whole,
    rng: new Rng(3),
    replicas: group.replicas,
    syncBatchNorm,
  })
  group.start({
    backend: options.backend ?? 'onnxruntime',
    hp: whole,
    spec,
    encoded,
    nets,
    storage: rank0.storage,
    rngFor: () => new Rng(options.workerSeed).state(),
    steps: { g: 0, d: 0 },
    syncBatchNorm,
  })
  return { group, rank0, nets, solo, arch }
}

/** `steps` discriminator + generator steps of the lone trainer; mean losses. */
function soloSteps(solo: CtganTrainer, steps: number): { lossG: number; lossD: number } {
  let lossG = 0
  let lossD = 0
  for (let s = 0; s < steps; s++) {
    lossD += solo.discriminatorStep()
    lossG += solo.generatorStep()
  }
  return { lossG: lossG / steps, lossD: lossD / steps }
}

describe('CTGAN data-parallel training', () => {
  it('two replicas drawing the same share train exactly as one trainer on that share: weights, average and losses', async () => {
    const { group, rank0, nets, solo, arch } = startPair({ workerSeed: 3 })
    try {
      const losses = [await group.epoch(() => trainEpoch(rank0)), await group.epoch(() => trainEpoch(rank0))]
      // The group's epochs have 200 / 40 steps; the same number of steps on the share alone:
      const soloLosses = [soloSteps(solo, rank0.stepsPerEpoch), soloSteps(solo, rank0.stepsPerEpoch)]
      for (const [i, l] of losses.entries()) {
        expect(l.lossD).toBeCloseTo(soloLosses[i]!.lossD, 4)
        expect(l.lossG).toBeCloseTo(soloLosses[i]!.lossG, 4)
      }
      const pairs = [
        ...discriminatorVariables(nets).map((w, i) => [w, discriminatorVariables(solo.nets)[i]!]),
        ...generatorVariables(nets).map((w, i) => [w, generatorVariables(solo.nets)[i]!]),
      ]
      for (const [a, b] of pairs) expect(maxDifference(a!.values, b!.values)).toBeLessThan(1e-5)
      for (const [i, a] of rank0.average!.entries()) expect(maxDifference(a, solo.average![i]!)).toBeLessThan(1e-5)
      // Training moved the weights: the comparison is not between two untouched initialisations.
      expect(maxDifference(nets.dW[0]!.values, createNetworks(arch, new Rng(2)).dW[0]!.values)).toBeGreaterThan(1e-4)
      // The worker's Rng went as far as this thread's (same draws): its published state matches.
      expect(group.rngStates()).toEqual([rank0.rng.state()])
    } finally {
      await group.close()
    }
  })

  it('with batch-norm statistics per replica (ghost batch norm), two replicas drawing the same share still train as one trainer on it', async () => {
    // Each replica's share is the whole batch's half: its statistics are the whole batch's, and γ's and β's
    // gradients, now summed in the exchange from both replicas, must not count twice.
    const { group, rank0, nets, solo, arch } = startPair({ workerSeed: 3, syncBatchNorm: false })
    try {
      await group.epoch(() => trainEpoch(rank0))
      soloSteps(solo, rank0.stepsPerEpoch)
      for (const [i, w] of generatorVariables(nets).entries())
        expect(maxDifference(w.values, generatorVariables(solo.nets)[i]!.values)).toBeLessThan(1e-5)
      expect(
        maxDifference(nets.blocks[0]!.gamma.values, createNetworks(arch, new Rng(2)).blocks[0]!.gamma.values),
      ).toBeGreaterThan(1e-5)
    } finally {
      await group.close()
    }
  })

  it('with different draws per replica, trains on twice the rows: weights move differently from one trainer', async () => {
    const { group, rank0, nets, solo } = startPair({ workerSeed: 4 })
    try {
      await group.epoch(() => trainEpoch(rank0))
      soloSteps(solo, rank0.stepsPerEpoch)
      expect(maxDifference(nets.dW[0]!.values, solo.nets.dW[0]!.values)).toBeGreaterThan(1e-6)
      expect(group.rngStates()[0]).not.toEqual(rank0.rng.state())
    } finally {
      await group.close()
    }
  })

  it("stops the whole group with the failing replica's reason, instead of waiting at a barrier", async () => {
    // tfjs-node is not installed here: the worker cannot start its engine.
    const { group, rank0 } = startPair({ workerSeed: 4, backend: 'tensorflow' })
    try {
      const started = Date.now()
      await expect(group.epoch(() => trainEpoch(rank0))).rejects.toThrow(/training thread 1: .*tensorflow/)
      expect(Date.now() - started).toBeLessThan(60_000)
    } finally {
      await group.close()
    }
  })

  it('Adam updates from the gradient parts of any number of replicas as from their sum', () => {
    const parts = [Float32Array.of(0.5, -1, 2), Float32Array.of(0.25, 3, -1), Float32Array.of(-2, 0.5, 0.125)]
    const sum = parts[0]!.map((_, j) => parts.reduce((s, p) => s + p[j]!, 0))
    const fromParts = { shape: [3], values: Float32Array.of(1, 2, 3) }
    const fromSum = { shape: [3], values: Float32Array.of(1, 2, 3) }
    const options = { learningRate: 0.1, beta1: 0.5, beta2: 0.9, weightDecay: 1e-2 }
    const a = new Adam([fromParts], options)
    const b = new Adam([fromSum], options)
    for (let step = 0; step < 3; step++) {
      a.apply([parts])
      b.apply([[sum]])
    }
    expect(maxDifference(fromParts.values, fromSum.values)).toBeLessThan(1e-6)
    expect(maxDifference(fromParts.values, Float32Array.of(1, 2, 3))).toBeGreaterThan(0.1)
  })

  it('shards every parameter between replicas without gaps or overlaps', () => {
    for (const length of [1, 2, 7, 256, 1001]) {
      for (const count of [1, 2, 3, 4]) {
        let next = 0
        for (let r = 0; r < count; r++) {
          const [lo, hi] = shardOf(length, r, count)
          expect(lo).toBe(next)
          expect(hi).toBeGreaterThanOrEqual(lo)
          next = hi
        }
        expect(next).toBe(length)
      }
    }
  })
})
