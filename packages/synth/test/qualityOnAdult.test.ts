import type { Table } from '@modelgate/core'
import { createRandom, readTable, takeRows } from '@modelgate/core'
import type { SynthEvaluation } from '@modelgate/synth'
import { evaluateSynthetic, trainSynthesizer } from '@modelgate/synth'
import { beforeAll, describe, expect, it } from 'vitest'
import { adultPath } from './helpers.js'

// UCI Adult, split at random into halves: train on one, compare the synthetic rows with the other.
let train: Table
let holdout: Table
let versusHoldout: SynthEvaluation
let versusTrain: SynthEvaluation
beforeAll(async () => {
  const adult = await readTable(adultPath, { nullValues: ['?', ''] })
  const random = createRandom(2026)
  const order = Array.from({ length: adult.numRows }, (_, i) => i)
  for (let i = order.length - 1; i > 0; i--) {
    const j = random.int(i + 1)
    ;[order[i], order[j]] = [order[j] as number, order[i] as number]
  }
  const half = Math.floor(order.length / 2)
  train = takeRows(adult, order.slice(0, half))
  holdout = takeRows(adult, order.slice(half))
  const model = await trainSynthesizer(train, { seed: 1 })
  const synthetic = model.sample(train.numRows, { seed: 2 })
  versusHoldout = evaluateSynthetic({ real: holdout, synthetic })
  versusTrain = evaluateSynthetic({ real: train, synthetic, holdout, target: 'income', seed: 3 })
})

describe('quality on UCI Adult (SDV GaussianCopula scores 0.814 overall, 0.753 pair trends)', () => {
  it('scores overall quality of at least 0.95 against the unseen half', () => {
    expect(versusHoldout.quality.overall).toBeGreaterThanOrEqual(0.95)
  })

  it('scores Column Pair Trends of at least 0.94 over all pairs, without thresholds', () => {
    expect(versusHoldout.quality.pairs).toHaveLength(105)
    expect(versusHoldout.quality.columnPairTrends).toBeGreaterThanOrEqual(0.94)
  })

  it('models the zero-inflated capital-gain (SDV: 0.09) and hours-per-week (SDV: 0.76) shapes', () => {
    const shape = (name: string): number => versusHoldout.quality.shapes.find((s) => s.column === name)?.score ?? 0
    expect(shape('capital-gain')).toBeGreaterThan(0.97)
    expect(shape('hours-per-week')).toBeGreaterThan(0.95)
  })

  it('keeps TSTR ROC AUC for income within 0.05 of TRTR', () => {
    const tstr = versusTrain.report.summary.tstrAuc as number
    const trtr = versusTrain.report.summary.trtrAuc as number
    expect(trtr).toBeGreaterThan(0.85)
    expect(trtr - tstr).toBeLessThanOrEqual(0.05)
  })

  it('copies training rows no more often than a real holdout matches them', () => {
    const s = versusTrain.report.summary
    expect(s.exactMatchRate as number).toBeLessThanOrEqual(s.holdoutExactMatchRate as number)
    expect(versusTrain.report.checks.find((c) => c.id === 'synth.privacy.exact_match')?.verdict).toBe('pass')
  })
})
