import type { Table } from '@modelgate/core'
import { ModelGateError } from '@modelgate/core'
import { checkLeakage, expandingWindowSplits, toReport } from '@modelgate/skew'
import { describe, expect, it } from 'vitest'

const DAY = 86_400_000
const t0 = Date.UTC(2026, 0, 1)

function table(rows: readonly { t: number; split: string; user: string; windowEnd?: number }[]): Table {
  return {
    numRows: rows.length,
    columns: [
      {
        kind: 'datetime',
        name: 'event_time',
        values: Float64Array.from(rows, (r) => t0 + r.t * DAY),
        valid: null,
        format: 'iso',
      },
      {
        kind: 'categorical',
        name: 'split',
        codes: Int32Array.from(rows, (r) => (r.split === 'train' ? 0 : r.split === 'test' ? 1 : 2)),
        dictionary: ['train', 'test', 'holdout'],
      },
      { kind: 'text', name: 'user', values: rows.map((r) => r.user) },
      {
        kind: 'datetime',
        name: 'feature_ts',
        values: Float64Array.from(rows, (r) => t0 + (r.windowEnd ?? r.t) * DAY),
        valid: null,
        format: 'iso',
      },
    ],
  }
}

describe('checkLeakage', () => {
  it('passes when every training row precedes every test row', () => {
    const report = checkLeakage(
      table([
        { t: 1, split: 'train', user: 'a' },
        { t: 2, split: 'train', user: 'b' },
        { t: 3, split: 'test', user: 'a' },
      ]),
      { time: 'event_time', split: 'split' },
    )
    expect(report.verdict).toBe('pass')
    expect(report.checks[0]?.message).toBe(
      'all 2 training rows (until 2026-01-03T00:00:00.000Z) precede all 1 test rows (from 2026-01-04T00:00:00.000Z)',
    )
  })

  it('lists the training rows dated after the test start and the test rows dated before the training end', () => {
    const report = checkLeakage(
      table([
        { t: 1, split: 'train', user: 'a' },
        { t: 5, split: 'train', user: 'b' }, // row 2: after test start
        { t: 3, split: 'test', user: 'a' }, // row 3: before training end
        { t: 6, split: 'test', user: 'b' },
        { t: 9, split: 'holdout', user: 'c' }, // ignored
      ]),
      { time: 'event_time', split: 'split' },
    )
    expect(report.verdict).toBe('fail')
    const check = report.checks[0]
    expect(check?.offendingRows).toBe(2)
    expect(check?.examples).toEqual([
      {
        row: 2,
        split: 'train',
        time: '2026-01-06T00:00:00.000Z',
        reason: 'training row at 2026-01-06T00:00:00.000Z is not before the first test row (2026-01-04T00:00:00.000Z)',
      },
      {
        row: 3,
        split: 'test',
        time: '2026-01-04T00:00:00.000Z',
        reason: 'test row at 2026-01-04T00:00:00.000Z is not after the last training row (2026-01-06T00:00:00.000Z)',
      },
    ])
    expect(toReport(report).checks[0]).toMatchObject({
      id: 'skew.leakage.train-before-test',
      verdict: 'fail',
      metrics: { offendingRows: 2 },
    })
  })

  it('checks the order per entity: overlap across users is fine, within a user it is leakage', () => {
    const rows = [
      { t: 1, split: 'train', user: 'a' },
      { t: 4, split: 'test', user: 'a' },
      { t: 5, split: 'train', user: 'b' },
      { t: 6, split: 'test', user: 'b' },
      { t: 2, split: 'test', user: 'c' },
      { t: 3, split: 'train', user: 'c' }, // row 6: c trains after its own test row
    ]
    const report = checkLeakage(table(rows), { time: 'event_time', split: 'split', entity: 'user' })
    expect(report.checks.map((c) => c.id)).toEqual(['entity-train-before-test'])
    expect(report.checks[0]?.offendingRows).toBe(2)
    expect(report.checks[0]?.examples.map((e) => [e.row, e.entity])).toEqual([
      [5, 'c'],
      [6, 'c'],
    ])
    expect(report.checks[0]?.message).toBe(
      '2 rows of 1 user values overlap in time between training and test; first offending rows: 5, 6',
    )
  })

  it('finds feature windows that reach past the prediction time (as_of semantics)', () => {
    const rows = [
      { t: 1, split: 'train', user: 'a' },
      { t: 2, split: 'train', user: 'a', windowEnd: 2.5 }, // uses data from 12 hours in the future
      { t: 3, split: 'test', user: 'a' },
    ]
    const report = checkLeakage(table(rows), { time: 'event_time', split: 'split', windowEnd: 'feature_ts' })
    const window = report.checks.find((c) => c.id === 'window-as-of')
    expect(window?.verdict).toBe('fail')
    expect(window?.examples).toEqual([
      {
        row: 2,
        split: 'train',
        time: '2026-01-03T00:00:00.000Z',
        reason: 'feature window ends at 2026-01-03T12:00:00.000Z, after the prediction time 2026-01-03T00:00:00.000Z',
      },
    ])
  })

  it('explains a split column without test rows', () => {
    const error = (() => {
      try {
        checkLeakage(table([{ t: 1, split: 'train', user: 'a' }]), { time: 'event_time', split: 'split' })
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ModelGateError)
    expect((error as ModelGateError).code).toBe('MG_SKEW_EMPTY_SPLIT')
  })
})

describe('expandingWindowSplits', () => {
  const times = [5, 1, 2, 2, 3, 4, 4, 4, 6, 7, 8, 9]
  const t: Table = {
    numRows: times.length,
    columns: [{ kind: 'integer', name: 't', values: Float64Array.from(times), valid: null }],
  }

  it('trains on everything before each test window and never splits a timestamp', () => {
    const splits = expandingWindowSplits(t, { time: 't', folds: 3 })
    expect(splits.length).toBe(3)
    let previousTrain = 0
    for (const s of splits) {
      const train = Array.from(s.train, (i) => times[i] as number)
      const test = Array.from(s.test, (i) => times[i] as number)
      expect(Math.max(...train)).toBeLessThan(Math.min(...test))
      expect(s.train.length).toBeGreaterThan(previousTrain)
      previousTrain = s.train.length
    }
    // sorted: 1 2 2 | 3 4 4 4 | 5 6 | 7 8 9 — test size ⌊12/4⌋ = 3; the second boundary would fall
    // inside the three 4s, so it moves forward to 5
    expect(splits.map((s) => Array.from(s.test, (i) => times[i]))).toEqual([
      [3, 4, 4, 4],
      [5, 6],
      [7, 8, 9],
    ])
  })

  it('leaves a gap between training and test', () => {
    const splits = expandingWindowSplits(t, { time: 't', folds: 2, gap: 2 })
    for (const s of splits) expect(s.trainEnd).toBeLessThan(s.testStart - 2)
  })
})
