import { sliceTable } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { buildBaseline, createDriftState, driftStateFromJSON, flattenEvent } from '../src/index.js'
import { sampleTable } from './support/tables.js'

const schema = {
  version: 1 as const,
  columns: [
    { name: 'device_fingerprint', kind: 'text' as const, nullable: true, pii: { type: 'device_id' as const } },
    { name: 'email', kind: 'text' as const, nullable: true, pii: { type: 'email' as const } },
  ],
}
const baseline = buildBaseline(sampleTable({ rows: 20_000, seed: 1 }), { schema, name: 'train' })
const stable = (report: ReturnType<ReturnType<typeof createDriftState>['evaluate']>) =>
  report.checks.map((c) => ({ id: c.id, verdict: c.verdict, metrics: c.metrics }))

describe('createDriftState', () => {
  const current = sampleTable({ rows: 9000, seed: 3, shift: 0.5 })

  it('gives the same report fed in chunks as in one table', () => {
    const whole = createDriftState(baseline).addTable(current).evaluate()
    const chunked = createDriftState(baseline)
    for (let start = 0; start < current.numRows; start += 1000)
      chunked.addTable(sliceTable(current, start, start + 1000))
    expect(stable(chunked.evaluate())).toEqual(stable(whole))
  })

  it('merges states of replicas into the single-process result, and round-trips through JSON', () => {
    const whole = createDriftState(baseline, { methods: ['latency=ks'] }).addTable(current)
    const a = createDriftState(baseline, { methods: ['latency=ks'] }).addTable(sliceTable(current, 0, 4000))
    const b = createDriftState(baseline, { methods: ['latency=ks'] }).addTable(sliceTable(current, 4000, 9000))
    const restored = driftStateFromJSON(baseline, JSON.stringify(b.toJSON()))
    a.merge(restored)
    const mine = a.evaluate().checks
    const theirs = whole.evaluate().checks
    expect(mine.map((c) => [c.id, c.verdict])).toEqual(theirs.map((c) => [c.id, c.verdict]))
    for (const [i, c] of mine.entries()) {
      for (const [key, value] of Object.entries(c.metrics ?? {})) {
        // counts add exactly; the KS sketch merge is within its stated error
        const sketched = c.id === 'drift.column.latency' && key !== 'threshold'
        expect(value, `${c.id} ${key}`).toBeCloseTo(theirs[i]?.metrics?.[key] as number, sketched ? 1 : 9)
      }
    }
  })

  it('refuses a state of another baseline', () => {
    const other = buildBaseline(sampleTable({ rows: 2000, seed: 2 }), { schema })
    const state = createDriftState(other)
    expect(() => createDriftState(baseline).merge(state)).toThrow(/different baselines/)
    expect(() => driftStateFromJSON(baseline, state.toJSON())).toThrow(/made for another baseline/)
    expect(() => driftStateFromJSON(baseline, '{"format"')).toThrow(/not valid JSON/)
  })

  it('maps inference events to columns: features.x is column x, prediction.score the prediction column', () => {
    const withScore = buildBaseline(sampleTable({ rows: 2000, seed: 4 }), { schema, prediction: 'latency' })
    expect(
      flattenEvent(
        {
          request_id: 'r1',
          timestamp: 1,
          features: { amount: 12, geo: { country: 'US' } },
          prediction: { score: 0.9, label: 'fraud' },
          latency_ms: 3,
        },
        withScore,
      ),
    ).toEqual({ amount: 12, 'geo.country': 'US', latency: 0.9 })
    const state = createDriftState(withScore).addEvents(
      Array.from({ length: 100 }, (_, i) => ({
        request_id: `r${i}`,
        features: {
          amount: 50 + (i % 7) / 7,
          country: 'US',
          device_fingerprint: i % 2 === 0 ? null : `dev-${i}`,
          color: 'red',
        },
        prediction: { score: 7 },
      })),
    )
    expect(state.rows).toBe(100)
    const report = state.evaluate()
    const byId = new Map(report.checks.map((c) => [c.id, c]))
    expect(byId.get('drift.quality.null_rate.device_fingerprint')?.verdict).toBe('fail')
    expect(byId.get('drift.quality.missing.items')?.verdict).toBe('fail')
    expect(byId.get('drift.quality.extra_fields')?.message).toBe('1 field not in the baseline (not tested): color')
    expect(byId.get('drift.column.latency')?.group).toBe('Prediction drift')
    expect(JSON.stringify(report)).not.toContain('dev-')
  })

  it('accumulates events a column at a time as it does a table, across batches of 4,096 events', () => {
    const table = sampleTable({ rows: 10_000, seed: 5 })
    const col = (name: string) => table.columns.find((c) => c.name === name) as never
    const amount = col('amount') as { values: Float64Array }
    const valid = new Uint8Array(table.numRows).fill(1)
    for (let i = 0; i < table.numRows; i += 13) valid[i] = 0
    const withNulls = { ...table, columns: table.columns.map((c) => (c.name === 'amount' ? { ...c, valid } : c)) }
    const country = col('country') as { codes: Int32Array; dictionary: string[] }
    const mobile = col('is_mobile') as { values: Uint8Array }
    const latency = col('latency') as { values: Float64Array }
    const events = Array.from({ length: table.numRows }, (_, i) => ({
      features: {
        // every 17th number written as text: still a number
        amount: valid[i] === 0 ? null : i % 17 === 0 ? String(amount.values[i]) : amount.values[i],
        latency: latency.values[i],
        items: (col('items') as { values: Float64Array }).values[i],
        country: country.dictionary[country.codes[i] as number],
        is_mobile: mobile.values[i] === 1,
        device_fingerprint: (col('device_fingerprint') as { values: string[] }).values[i],
        email: (col('email') as { values: string[] }).values[i],
      },
    }))
    const methods = { methods: ['amount=ks', 'latency=ks'] }
    const fromEvents = createDriftState(baseline, methods).addEvents(events).toJSON()
    const fromTable = createDriftState(baseline, methods).addTable(withNulls).toJSON()
    expect(fromEvents.rows).toBe(10_000)
    for (const [name, mine] of Object.entries(fromEvents.columns)) {
      const theirs = fromTable.columns[name] as Record<string, unknown>
      for (const [key, value] of Object.entries(mine)) {
        // the same values in the same order: the same sketch; moments summed in other chunks agree to rounding
        const want = theirs[key] as number
        if (typeof value === 'number')
          expect(Math.abs(value - want), `${name}.${key}`).toBeLessThan(1e-9 * (1 + Math.abs(want)))
        else expect(value, `${name}.${key}`).toEqual(theirs[key])
      }
    }
  })

  it('counts each cell of an event: absent, null, wrong type, a number as text, nested fields, the last field wins', () => {
    const withScore = buildBaseline(sampleTable({ rows: 2000, seed: 4 }), { schema, prediction: 'latency' })
    const state = createDriftState(withScore).addEvents([
      { features: { amount: 1, country: 'US', is_mobile: true, email: 'a@b.co' } },
      { features: { amount: null, country: 7, is_mobile: 'true' } },
      { features: { amount: 'x', geo: { country: 'FR' } } },
      { features: { amount: ' 2.5 ', items: [1] } },
      'not an event',
      { features: { amount: undefined, latency: 9 }, prediction: { score: 0.5 } },
    ])
    const j = state.toJSON()
    expect(j.rows).toBe(6)
    const amount = j.columns.amount as {
      present: number
      nulls: number
      typeErrors: number
      count: number
      mean: number
    }
    expect([amount.present, amount.nulls, amount.typeErrors, amount.count]).toEqual([4, 1, 1, 2])
    expect(amount.mean).toBeCloseTo(1.75, 12)
    const country = j.columns.country as { present: number; counts: number[] }
    const us = withScore.columns.find((c) => c.name === 'country') as { categories: [string, number][] }
    expect(country.present).toBe(2)
    expect(country.counts[us.categories.findIndex(([k]) => k === 'US')]).toBe(1)
    expect(country.counts.at(-1)).toBe(1) // "7": outside the baseline's categories
    const mobile = j.columns.is_mobile as { present: number; typeErrors: number; counts: number[] }
    expect([mobile.present, mobile.typeErrors, mobile.counts.reduce((a, b) => a + b, 0)]).toEqual([2, 0, 2])
    expect(j.columns.email).toMatchObject({ present: 1, count: 1, valid: 1 })
    expect(j.columns.items).toMatchObject({ present: 1, typeErrors: 1, count: 0 })
    // prediction.score comes after the feature of the same name, as in flattenEvent's row
    expect(j.columns.latency).toMatchObject({ present: 1, count: 1, mean: 0.5 })
    expect(j.extraFields).toEqual({ 'geo.country': 1 })
  })

  it('judges the shares outside the baseline: out of the trimmed range (a rise fails), valid PII format (a fall fails)', () => {
    const window = (bad: number) =>
      createDriftState(baseline)
        .addEvents(
          Array.from({ length: 200 }, (_, i) => ({
            features: {
              amount: i < bad ? 1000 : 50 + ((i % 20) - 10) / 10,
              email: i < bad ? 'not an email' : `u${i}@example.com`,
            },
          })),
        )
        .evaluate({ columns: ['amount', 'email'] })
    const check = (report: ReturnType<typeof window>, id: string) => report.checks.find((c) => c.id === id)
    const clean = window(0)
    expect(check(clean, 'drift.quality.out_of_range.amount')).toMatchObject({
      verdict: 'pass',
      metrics: { outOfRangeShare: 0 },
    })
    expect(check(clean, 'drift.quality.format.email')).toMatchObject({ verdict: 'pass', metrics: { validShare: 1 } })
    const dirty = window(40) // 20% of each
    expect(check(dirty, 'drift.quality.out_of_range.amount')).toMatchObject({
      verdict: 'fail',
      metrics: { outOfRangeShare: 0.2 },
    })
    expect(check(dirty, 'drift.quality.out_of_range.amount')?.message).toMatch(
      /^amount: 20(\.0)?% of values outside the reference's trimmed range \(reference [<\d.]+%\) — up more than 5(\.0)?%$/,
    )
    expect(check(dirty, 'drift.quality.format.email')).toMatchObject({ verdict: 'fail', metrics: { validShare: 0.8 } })
    expect(check(dirty, 'drift.quality.format.email')?.message).toMatch(/— down more than 5(\.0)?%$/)
  })

  it('judges an empty window inconclusive, with the reason', () => {
    const report = createDriftState(baseline).evaluate()
    expect(report.verdict).toBe('inconclusive')
    expect(report.checks[0]?.message).toBe('no rows in the current sample: nothing to compare')
  })

  it('judges a column with too few values inconclusive instead of guessing', () => {
    const report = createDriftState(baseline)
      .addTable(sliceTable(current, 0, 10))
      .evaluate()
    expect(report.checks.find((c) => c.id === 'drift.column.amount')?.verdict).toBe('inconclusive')
    expect(report.verdict).toBe('inconclusive')
  })
})
