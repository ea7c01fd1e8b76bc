import type { Table } from '@modelgate/core'
import { readTable } from '@modelgate/core'
import { evaluateSynthetic, trainSynthesizer } from '@modelgate/synth'
import { beforeAll, describe, expect, it } from 'vitest'
import { column, textValues, transactionsPath } from './helpers.js'

let real: Table
beforeAll(async () => {
  real = await readTable(transactionsPath)
})

describe('differential privacy (--epsilon)', () => {
  it('stores the budget split and spends exactly epsilon', async () => {
    const model = await trainSynthesizer(real, { seed: 1, epsilon: 2, pii: { transaction_id: 'id' } })
    expect(model.toJSON().privacy).toEqual({ k: 5, epsilon: 2, budget: { marginals: 1, correlation: 1, spent: 2 } })
  })

  it('noises marginals and correlations: two seeds give different models, the same seed the same one', async () => {
    const a = await trainSynthesizer(real, { seed: 1, epsilon: 1, pii: { transaction_id: 'id' } })
    const b = await trainSynthesizer(real, { seed: 2, epsilon: 1, pii: { transaction_id: 'id' } })
    const a2 = await trainSynthesizer(real, { seed: 1, epsilon: 1, pii: { transaction_id: 'id' } })
    expect(JSON.stringify(a.toJSON())).not.toBe(JSON.stringify(b.toJSON()))
    expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(a2.toJSON()))
  })

  it('still never stores rare categories, and stays useful at epsilon = 5', async () => {
    const model = await trainSynthesizer(real, { seed: 3, epsilon: 5, pii: { transaction_id: 'id' } })
    expect(JSON.stringify(model.toJSON()).includes('rare-merchant-')).toBe(false)
    const synthetic = model.sample(5000, { seed: 1 })
    expect(textValues(column(synthetic, 'merchant_category')).length).toBe(5000)
    const { quality } = evaluateSynthetic({ real, synthetic })
    expect(quality.columnShapes).toBeGreaterThan(0.85)
    const exact = await trainSynthesizer(real, { seed: 3, pii: { transaction_id: 'id' } })
    expect(evaluateSynthetic({ real, synthetic: exact.sample(5000, { seed: 1 }) }).quality.overall).toBeGreaterThan(
      quality.overall,
    )
  })
})
