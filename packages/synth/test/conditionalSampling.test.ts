import type { Table } from '@modelgate/core'
import { readTable } from '@modelgate/core'
import type { SynthModel } from '@modelgate/synth'
import { trainSynthesizer } from '@modelgate/synth'
import { beforeAll, describe, expect, it } from 'vitest'
import { column, textValues, transactionsPath } from './helpers.js'

let real: Table
let model: SynthModel
beforeAll(async () => {
  real = await readTable(transactionsPath)
  model = await trainSynthesizer(real, { seed: 3, pii: { transaction_id: 'id' } })
})

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length

describe('conditional sampling (--where)', () => {
  it('returns exactly N rows, all with the requested category, even for a 3.5% class', () => {
    const t = model.sample(4000, { seed: 1, where: { is_fraud: true } })
    expect(t.numRows).toBe(4000)
    expect(textValues(column(t, 'is_fraud')).every((v) => v === '1')).toBe(true)
  })

  it('keeps the dependence of other columns on the condition', () => {
    const travel = textValues(
      column(model.sample(3000, { seed: 2, where: { merchant_category: 'travel' } }), 'amount'),
    ).map(Number)
    const grocery = textValues(
      column(model.sample(3000, { seed: 2, where: { merchant_category: 'grocery' } }), 'amount'),
    ).map(Number)
    const realAmounts = textValues(column(real, 'amount')).map(Number)
    const realCats = textValues(column(real, 'merchant_category'))
    const realTravel = realAmounts.filter((_, i) => realCats[i] === 'travel')
    const realGrocery = realAmounts.filter((_, i) => realCats[i] === 'grocery')
    const overall = mean(realAmounts)
    expect(mean(travel)).toBeGreaterThan(3 * mean(grocery))
    // A Gaussian copula carries monotone dependence only, so conditional means are pulled toward the overall
    // mean; conditioning must still land closer to the real conditional mean than the unconditional one does.
    expect(Math.abs(mean(travel) - mean(realTravel))).toBeLessThan(0.5 * Math.abs(overall - mean(realTravel)))
    expect(Math.abs(mean(grocery) - mean(realGrocery))).toBeLessThan(0.5 * Math.abs(overall - mean(realGrocery)))
  })

  it('conditions jointly on several columns, including a point mass and a nullable column', () => {
    const t = model.sample(2000, {
      seed: 4,
      where: { merchant_category: 'electronics', refund_amount: 0, country: 'DE' },
    })
    expect(t.numRows).toBe(2000)
    expect(new Set(textValues(column(t, 'merchant_category')))).toEqual(new Set(['electronics']))
    expect(new Set(textValues(column(t, 'refund_amount')))).toEqual(new Set(['0']))
    expect(textValues(column(t, 'country'))).toHaveLength(2000)
    expect(new Set(textValues(column(t, 'country')))).toEqual(new Set(['DE']))
  })

  it('fixes a continuous numeric column at an exact value', () => {
    const t = model.sample(500, { seed: 5, where: { amount: 123.45 } })
    expect(new Set(textValues(column(t, 'amount')))).toEqual(new Set(['123.45']))
  })

  it('refuses conditions it cannot honour instead of returning fewer rows', () => {
    expect(() => model.sample(10, { where: { merchant_category: 'rare-merchant-7' } })).toThrow(
      /MG_SYNTH_WHERE_IMPOSSIBLE|not among the categories/,
    )
    expect(() => model.sample(10, { where: { email: 'someone@example.com' } })).toThrow(/PII column/)
    expect(() => model.sample(10, { where: { amount: 1e9 } })).toThrow(/outside the learned range/)
    expect(() => model.sample(10, { where: { nope: 1 } })).toThrow(/does not have/)
  })
})

describe('missingness', () => {
  it('reproduces nulls that depend on another column (not re-inserted at random, SDV#2288)', async () => {
    const n = 6000
    const a = new Float64Array(n)
    const b = new Float64Array(n)
    const valid = new Uint8Array(n)
    let s = 12345
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0
      a[i] = (s / 4294967296) * 100
      b[i] = (a[i] as number) * 2 + 5
      s = (Math.imul(s, 1103515245) + 12345) >>> 0
      // b is missing 90% of the time when a > 70, 5% otherwise (30% overall).
      valid[i] = s / 4294967296 < ((a[i] as number) > 70 ? 0.9 : 0.05) ? 0 : 1
    }
    const table: Table = {
      numRows: n,
      columns: [
        { kind: 'numeric', name: 'a', values: a, valid: null },
        { kind: 'numeric', name: 'b', values: b, valid },
      ],
    }
    const m = await trainSynthesizer(table, { seed: 1 })
    const out = m.sample(10_000, { seed: 1 })
    const sa = column(out, 'a')
    const sb = column(out, 'b')
    if (sa.kind !== 'numeric' || sb.kind !== 'numeric') throw new Error('kinds')
    let nullsHigh = 0
    let high = 0
    let nullsLow = 0
    let low = 0
    for (let i = 0; i < out.numRows; i++) {
      const isNull = sb.valid !== null && sb.valid[i] === 0
      if ((sa.values[i] as number) > 75) {
        high++
        nullsHigh += isNull ? 1 : 0
      } else if ((sa.values[i] as number) < 65) {
        low++
        nullsLow += isNull ? 1 : 0
      }
    }
    // Re-inserting nulls at random would give ~30% in both groups; a probit-like link smooths the real 5% → 90% step.
    expect(nullsHigh / high).toBeGreaterThan(0.6)
    expect(nullsLow / low).toBeLessThan(0.2)
    expect(nullsHigh / high - nullsLow / low).toBeGreaterThan(0.35)
  })
})
