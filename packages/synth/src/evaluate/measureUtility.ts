import type { Random, Table } from '@modelgate/core'
import { takeRows } from '@modelgate/core'
import { fitLogisticRegression, predictLogisticRegression, rocAuc } from '@modelgate/stats'
import { SynthError } from '../errors.js'
import { createFeatureEncoder } from '../internal/encodeFeatures.js'
import { stringValues } from '../internal/evalColumn.js'

/**
 * Utility: a logistic regression trained on the synthetic rows (TSTR) and one trained on real rows (TRTR), both
 * scored by ROC AUC on the holdout (or on 30% of the real rows held out here), for a binary target.
 */
export interface MeasureUtilityOptions {
  readonly real: Table
  readonly synthetic: Table
  readonly holdout?: Table | undefined
  /** The binary target column. */
  readonly target: string
  /** Columns the models may use (the target is left out here). */
  readonly features: readonly string[]
  /** Categories seen fewer than k times are one "other" level of the encoding. */
  readonly k: number
  readonly random: Random
}

export function measureUtility(options: MeasureUtilityOptions): {
  tstr: number
  trtr: number
  positive: string
  testRows: number
} {
  const { target, k, random } = options
  const realTarget = options.real.columns.find((c) => c.name === target)
  if (realTarget === undefined) {
    throw new SynthError('MG_SYNTH_EVALUATE_MISMATCH', `The target "${target}" is not a column of the real data.`, {
      hint: 'Name a binary column of the real data as the target.',
    })
  }
  const counts = new Map<string, number>()
  for (const v of stringValues(realTarget, options.real.numRows))
    if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1)
  if (counts.size !== 2) {
    throw new SynthError(
      'MG_SYNTH_EVALUATE_MISMATCH',
      `The target "${target}" has ${counts.size} distinct values; utility needs a binary target.`,
      { hint: 'Pick a column with two classes.' },
    )
  }
  const positive = [...counts].sort((a, b) => a[1] - b[1])[0]?.[0] as string
  let trainReal = options.real
  let test = options.holdout
  if (test === undefined) {
    const n = options.real.numRows
    const idx = Array.from({ length: n }, (_, i) => i)
    for (let i = n - 1; i > 0; i--) {
      const j = random.int(i + 1)
      ;[idx[i], idx[j]] = [idx[j] as number, idx[i] as number]
    }
    const cut = Math.floor(n * 0.7)
    trainReal = takeRows(options.real, idx.slice(0, cut))
    test = takeRows(options.real, idx.slice(cut))
  }
  const features = options.features.filter((f) => f !== target)
  const encoder = createFeatureEncoder(trainReal, features, { k })
  const labels = (t: Table): Uint8Array => {
    const c = t.columns.find((x) => x.name === target)
    return Uint8Array.from(c === undefined ? [] : stringValues(c, t.numRows), (v) => (v === positive ? 1 : 0))
  }
  const capped = (t: Table, max: number): Table =>
    t.numRows <= max
      ? t
      : takeRows(
          t,
          Array.from({ length: max }, () => random.int(t.numRows)),
        )
  const score = (train: Table): number => {
    const tr = capped(train, 20_000)
    const model = fitLogisticRegression(encoder.encode(tr), labels(tr), { columns: encoder.width })
    return rocAuc(predictLogisticRegression(model, encoder.encode(test as Table)), labels(test as Table))
  }
  return { tstr: score(options.synthetic), trtr: score(trainReal), positive, testRows: test.numRows }
}
