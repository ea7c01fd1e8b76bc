import type { Column, Table, TableSchema } from '@modelgate/core'
import { readTable } from '@modelgate/core'
import type { NumericColumnModel, SynthModelFile } from '@modelgate/synth'
import { evaluateSynthetic, fitSynthModelFile, trainSynthesizer } from '@modelgate/synth'
import { beforeAll, describe, expect, it } from 'vitest'
import { column, textValues, transactionsPath } from './helpers.js'

let real: Table
beforeAll(async () => {
  real = await readTable(transactionsPath)
})

const pii = { transaction_id: 'id' } as const

function mechanismsOf(file: SynthModelFile, name: string | null): readonly { quantity: string; epsilon: number }[] {
  return file.privacy.dp?.mechanisms.filter((m) => m.column === name) ?? []
}

describe('differential privacy (--epsilon): the account', () => {
  it('lists every mechanism with its share; the shares sum to ε (basic composition, add/remove one row)', () => {
    const file = fitSynthModelFile(real, { seed: 1, epsilon: 2, pii })
    const dp = file.privacy.dp
    expect(dp?.neighbours).toBe('add or remove one row')
    expect(dp?.accountant).toBe('basic composition')
    expect(dp?.noise).toBe('seeded')
    expect(dp?.epsilon).toBeCloseTo(2, 12)
    expect(dp?.mechanisms.reduce((s, m) => s + m.epsilon, 0)).toBeCloseTo(2, 12)
    // A third for the copula's contingency tables, the rest for the columns.
    expect(mechanismsOf(file, null).reduce((s, m) => s + m.epsilon, 0)).toBeCloseTo(2 / 3, 12)
    // Every column has a mechanism, PII columns included (their null counts).
    for (const c of file.columns) expect(mechanismsOf(file, c.name).length, c.name).toBeGreaterThan(0)
    expect(mechanismsOf(file, 'email').map((m) => m.quantity)).toEqual([
      'nulls and non-nulls (PII column: nothing else is learned)',
    ])
    // A learned column weighs four PII columns.
    const share = (name: string): number => mechanismsOf(file, name).reduce((s, m) => s + m.epsilon, 0)
    expect(share('amount')).toBeCloseTo(4 * share('email'), 12)
    // δ: spent by the two categorical columns whose categories come from the data.
    expect(dp?.delta).toBeCloseTo(1e-6, 18)
    expect(file.privacy).toMatchObject({ k: 5, epsilon: 2, delta: 1e-6 })
  })

  it('stores no true row count: trainingRows is the median of the columns’ noisy counts', () => {
    const counts = [1, 2, 3].map((seed) => fitSynthModelFile(real, { seed, epsilon: 1, pii }).trainingRows)
    expect(new Set(counts).size).toBeGreaterThan(1)
    for (const n of counts) expect(Math.abs(n - real.numRows)).toBeLessThan(0.05 * real.numRows)
  })

  it('draws the noise from the OS unless a seed is given (a known seed would let anyone subtract it)', async () => {
    const a = fitSynthModelFile(real, { epsilon: 1, pii })
    const b = fitSynthModelFile(real, { epsilon: 1, pii })
    expect(a.privacy.dp?.noise).toBe('os-entropy')
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b))
    const s1 = await trainSynthesizer(real, { seed: 1, epsilon: 1, pii })
    const s2 = await trainSynthesizer(real, { seed: 2, epsilon: 1, pii })
    const again = await trainSynthesizer(real, { seed: 1, epsilon: 1, pii })
    expect(JSON.stringify(s1.toJSON())).not.toBe(JSON.stringify(s2.toJSON()))
    expect(JSON.stringify(s1.toJSON())).toBe(JSON.stringify(again.toJSON()))
  })

  it('withholds detection details (they quote shares of the data)', () => {
    const file = fitSynthModelFile(real, { seed: 1, epsilon: 1, pii })
    expect(file.detectedPii?.length).toBeGreaterThan(0)
    for (const d of file.detectedPii ?? []) expect(d.reason).not.toMatch(/\d/)
  })
})

describe('differential privacy: every stored quantity is public or noisy', () => {
  function table(columns: Column[], numRows: number): Table {
    return { numRows, columns }
  }
  const n = 2000
  const amounts = Float64Array.from({ length: n }, (_, i) => 13.7 + ((i * 37) % 900) / 10 + (i === 7 ? 123_456.78 : 0))

  it('takes ranges from power-of-two buckets with noisy counts, never from the data’s extremes', () => {
    const file = fitSynthModelFile(table([{ kind: 'numeric', name: 'amount', values: amounts, valid: null }], n), {
      seed: 4,
      epsilon: 1,
    })
    const model = file.columns[0] as NumericColumnModel
    // Neither the data's extremes (13.7; 103.6 and the outlier 123,470.48) nor its k-th ones are stored; the outlier
    // did not stretch the range (the power-of-two bucket [64, 128) bounds it).
    const sorted = Float64Array.from(amounts).sort()
    for (const extreme of [...sorted.slice(0, 5), ...sorted.slice(-6)]) {
      expect(model.min).not.toBe(extreme)
      expect(model.max).not.toBe(extreme)
    }
    expect(model.max as number).toBeLessThanOrEqual(128)
    expect(model.max as number).toBeGreaterThan(64)
    expect(file.privacy.dp?.mechanisms.map((m) => m.quantity.split(':')[0])).toEqual([
      'range',
      'rounding',
      'where values lie',
      'nulls and values',
    ])
    // Decimals chosen from noisy counts of the decimals each row needs.
    expect(model.decimals).toBe(1)
  })

  it('takes bounds and categories declared in the schema as public, and says so', () => {
    const schema: TableSchema = {
      version: 1,
      columns: [
        { name: 'amount', kind: 'numeric', nullable: true, min: 0, max: 200 },
        { name: 'city', kind: 'categorical', nullable: true, values: ['north', 'south', 'Atlantis'] },
      ],
    }
    const cities = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 'south' : 'north'))
    const t = table(
      [
        { kind: 'numeric', name: 'amount', values: amounts, valid: null },
        {
          kind: 'categorical',
          name: 'city',
          codes: Int32Array.from(cities, (c) => (c === 'north' ? 0 : 1)),
          dictionary: ['north', 'south'],
        },
      ],
      n,
    )
    const file = fitSynthModelFile(t, { seed: 5, epsilon: 2, schema })
    expect(file.privacy.dp?.public).toEqual(
      expect.arrayContaining([
        'amount: bounds [0, 200] from the schema',
        'city: the 3 categories declared in the schema',
      ]),
    )
    const quantities = file.privacy.dp?.mechanisms.map((m) => m.quantity) ?? []
    expect(quantities.some((q) => q.startsWith('range'))).toBe(false)
    expect(quantities).toContain("nulls, each of the schema's 3 categories, and values outside them")
    // Every category declared in the schema got a noisy count (absent ones are kept only by noise ≥ k).
    expect(file.privacy.dp?.delta).toBe(0)
  })

  it('chooses categories by noisy counts alone and orders them from noisy tables', () => {
    const file = fitSynthModelFile(real, { seed: 3, epsilon: 5, pii })
    const merchant = file.columns.find((c) => c.name === 'merchant_category')
    expect(merchant?.kind).toBe('categorical')
    const m = file.privacy.dp?.mechanisms.find((x) => x.column === 'merchant_category')
    expect(m?.mechanism).toBe('discrete Laplace, thresholded')
    expect(m?.threshold).toBeGreaterThanOrEqual(5)
    expect(JSON.stringify(file).includes('rare-merchant-')).toBe(false)
    expect(mechanismsOf(file, null).map((x) => x.quantity.split(':')[0])).toEqual([
      'categories against cuts',
      'pairs at their cuts',
    ])
  })

  it('learns none of a quasi-identifier column’s values: the whole column is folded, its counts not stored', () => {
    // 40 customers × 6 rows: a name with its own phone and memo on every row of the customer, and a channel.
    const n = 240
    const customer = (i: number): number => Math.floor(i / 6)
    const text = (name: string, f: (c: number) => string): Column => ({
      kind: 'text',
      name,
      values: Array.from({ length: n }, (_, i) => f(customer(i))),
    })
    const t = table(
      [
        text('name', (c) => `Customer Zq${c}x`),
        text('phone', (c) => `tel ${1000 + c * 37}`),
        text('memo', (c) => `note ${c * 11} about ${c % 7}`),
        text('channel', (c) => ['web', 'app', 'store'][c % 3] as string),
      ],
      n,
    )
    // ε = 60 spends enough per column that a value held by 6 rows would pass its threshold.
    const options = { seed: 7, epsilon: 60, detectPii: false, rareCategories: 'other' } as const
    const file = fitSynthModelFile(t, options)
    expect(file.quasiIdentifiers?.map((q) => q.column)).toEqual(['name', 'phone', 'memo'])
    for (const q of file.quasiIdentifiers ?? []) expect(Object.keys(q).sort()).toEqual(['column', 'partners'])
    for (const name of ['name', 'phone', 'memo']) {
      const model = file.columns.find((c) => c.name === name)
      expect(model).toMatchObject({ kind: 'categorical', categories: [], rare: { mode: 'other', p: 1 } })
      expect(mechanismsOf(file, name).map((m) => m.quantity)).toEqual([
        'nulls and non-nulls (quasi-identifier column: none of its values is learned)',
      ])
    }
    expect(JSON.stringify(file)).not.toMatch(/Zq|tel |note /)
    expect(file.privacy.dp?.public).toContain(
      'which columns are quasi-identifiers: the entity-memorization rule on the data (name, phone, memo); none of their values is learned',
    )
    expect(file.privacy.dp?.mechanisms.reduce((s, m) => s + m.epsilon, 0)).toBeCloseTo(60, 10)
    // The channel is learned as usual.
    expect(file.columns.find((c) => c.name === 'channel')).toMatchObject({ kind: 'categorical' })
    expect((file.columns.find((c) => c.name === 'channel') as { categories: unknown[] }).categories).toHaveLength(3)
  })

  it('refuses epsilon with CTGAN instead of pretending (it would need DP-SGD)', async () => {
    await expect(trainSynthesizer(real, { synthesizer: 'ctgan', epsilon: 1, pii })).rejects.toMatchObject({
      code: 'MG_SYNTH_BAD_OPTION',
      message: expect.stringContaining('CTGAN does not implement differential privacy'),
    })
  })

  it('rejects a δ outside [0, 1)', () => {
    expect(() => fitSynthModelFile(real, { epsilon: 1, delta: 1, pii })).toThrow(/delta must be a number in \[0, 1\)/)
  })
})

describe('differential privacy: utility', () => {
  it('stays useful at epsilon = 5 and is worse than no DP', async () => {
    const model = await trainSynthesizer(real, { seed: 3, epsilon: 5, pii })
    const synthetic = model.sample(5000, { seed: 1 })
    expect(textValues(column(synthetic, 'merchant_category')).length).toBeGreaterThan(4900)
    const { quality } = evaluateSynthetic({ real, synthetic })
    expect(quality.columnShapes).toBeGreaterThan(0.85)
    const exact = await trainSynthesizer(real, { seed: 3, pii })
    expect(evaluateSynthetic({ real, synthetic: exact.sample(5000, { seed: 1 }) }).quality.overall).toBeGreaterThan(
      quality.overall,
    )
  })
})
