import type { Column, Table } from '@modelgate/core'
import type { SynthModelFile } from '@modelgate/synth'
import { fitSynthModelFile } from '@modelgate/synth'
import { describe, expect, it } from 'vitest'
import type { AuditCase } from './privacyAudit.js'
import { auditPrivacy, numbersIn } from './privacyAudit.js'

// Neighbouring tables differ by one added row. The claim audited is ε = 1 (δ = 1e-6); the audit must never find
// more. Before the DP rework these audits found ε ≥ 3.52 (a category seen 4 times: stored in 0 of 400 models, seen 5
// times: 196 of 400) and ε ≥ 4.36 (a value held by 4 rows: never stored; by 5: always). An audit can refute a
// privacy claim, never certify it: it sees only the events it looks at. bench/dp-audit.bench.ts runs larger ones.
const EPSILON = 1
const DELTA = 1e-6
const TRIALS = 1000

function categorical(name: string, values: readonly string[]): Column {
  const dictionary = [...new Set(values)]
  const index = new Map(dictionary.map((v, i) => [v, i]))
  return { kind: 'categorical', name, codes: Int32Array.from(values, (v) => index.get(v) as number), dictionary }
}

function repeat<T>(value: T, times: number): T[] {
  return Array.from({ length: times }, () => value)
}

/** A city column with three common cities and `rare` rows of one rare city. */
export function cities(rare: number): Table {
  const values = [...repeat('north', 150), ...repeat('south', 100), ...repeat('east', 50), ...repeat('Zanzibar', rare)]
  return { numRows: values.length, columns: [categorical('city', values)] }
}

/** 303 amounts between 0 and 100, and `extreme` rows of one outlier (a top salary). */
export function amounts(extreme: number): Table {
  const values = [...Array.from({ length: 303 }, (_, i) => i % 101), ...repeat(1_000_000, extreme)]
  return {
    numRows: values.length,
    columns: [{ kind: 'integer', name: 'amount', values: Float64Array.from(values), valid: null }],
  }
}

const storesCategory =
  (value: string) =>
  (file: SynthModelFile): boolean =>
    file.columns.some((c) => c.kind === 'categorical' && c.categories.some((x) => x.value === value))

const storesAbove =
  (limit: number) =>
  (file: SynthModelFile): boolean =>
    file.columns.some((c) => numbersIn(c).some((x) => x > limit))

const train = (t: Table, seed: number): SynthModelFile => fitSynthModelFile(t, { seed, epsilon: EPSILON, delta: DELTA })

/** The threshold a mechanism of the model used (public: a function of ε and δ), read from a probe fit. */
function thresholdOf(t: Table, quantity: string): number {
  const m = train(t, 0).privacy.dp?.mechanisms.find((x) => x.quantity.startsWith(quantity))
  if (m?.threshold === undefined) throw new Error(`no thresholded mechanism "${quantity}"`)
  return m.threshold
}

describe(`empirical privacy audit of --epsilon ${EPSILON} (one row added; Clopper–Pearson, 95%)`, () => {
  const categoryThreshold = thresholdOf(cities(0), 'nulls, and categories')
  const rangeThreshold = thresholdOf(amounts(0), 'range:')
  const cases: { audit: AuditCase; sensitive: boolean }[] = [
    {
      audit: {
        name: 'a rare category seen 4 times, then 5',
        table: cities(4),
        neighbour: cities(5),
        event: storesCategory('Zanzibar'),
      },
      sensitive: false,
    },
    {
      audit: {
        name: 'an extreme value held by 4 rows, then 5',
        table: amounts(4),
        neighbour: amounts(5),
        event: storesAbove(1000),
      },
      sensitive: false,
    },
    {
      // The worst case of a thresholded noisy count: one row moves the count onto the threshold.
      audit: {
        name: `a category seen ${categoryThreshold - 1} times, then ${categoryThreshold} (its selection threshold)`,
        table: cities(categoryThreshold - 1),
        neighbour: cities(categoryThreshold),
        event: storesCategory('Zanzibar'),
      },
      sensitive: true,
    },
    {
      audit: {
        name: `an extreme value held by ${rangeThreshold - 1} rows, then ${rangeThreshold} (the range threshold)`,
        table: amounts(rangeThreshold - 1),
        neighbour: amounts(rangeThreshold),
        event: storesAbove(1000),
      },
      sensitive: true,
    },
  ]
  for (const { audit, sensitive } of cases) {
    it(`finds no privacy loss above ε for ${audit.name}`, () => {
      const outcome = auditPrivacy(train, audit, { trials: TRIALS, delta: DELTA })
      expect(outcome.epsilonLower, JSON.stringify(outcome)).toBeLessThanOrEqual(EPSILON)
      // Where one row does change the model, the audit sees it (it is not blind): the category's whole budget is ε.
      if (sensitive) expect(outcome.epsilonLower, JSON.stringify(outcome)).toBeGreaterThan(0)
    })
  }

  it('would refute a mechanism that spends more than it claims (the audit can fail)', () => {
    // The same fit, claiming a quarter of the budget it spends.
    const claimed = EPSILON / 4
    const outcome = auditPrivacy(
      train,
      {
        name: 'category at the threshold',
        table: cities(categoryThreshold - 1),
        neighbour: cities(categoryThreshold),
        event: storesCategory('Zanzibar'),
      },
      { trials: TRIALS, delta: DELTA },
    )
    expect(outcome.epsilonLower).toBeGreaterThan(claimed)
  })
})
