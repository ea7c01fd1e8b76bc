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
