import type { Random, Table } from '@modelgate/core'
import { closestDistances, createGowerEncoder } from '../internal/encodeFeatures.js'
import { stringValues } from '../internal/evalColumn.js'

/**
 * The copy checks: exact copies of training rows (against the holdout's own rate), the distance to the closest
 * record against a holdout, and real PII values found anywhere in the synthetic data (counted per source column).
 */
export interface MeasureCopiesOptions {
  readonly real: Table
  readonly synthetic: Table
  readonly holdout?: Table | undefined
  /** Columns compared (PII columns are left out by the caller). */
  readonly features: readonly string[]
  /** PII columns of the real data, whose values are looked for anywhere in the synthetic data. */
  readonly piiColumns: ReadonlySet<string>
  /** Rows sampled for the distance to closest record (default 1,000 queries, 5,000 references). */
  readonly dcrQueries?: number | undefined
  readonly dcrReferences?: number | undefined
  readonly random: Random
}

export function measureCopies(options: MeasureCopiesOptions): {
  exactMatch: number
  holdoutExactMatch: number | null
  dcr: { score: number; synthMedian: number; holdoutMedian: number; closerToTrain: number } | null
  piiLeaks: number
  leaksByColumn: Record<string, number>
} {
  const { real, synthetic, holdout, features: featureNames, piiColumns, random } = options
  const rowKeys = (t: Table): string[] => {
    const cols = featureNames.map((name) => t.columns.find((c) => c.name === name))
    const values = cols.map((c) =>
      c === undefined ? new Array<string | null>(t.numRows).fill(null) : stringValues(c, t.numRows),
    )
    const keys: string[] = new Array(t.numRows)
    for (let i = 0; i < t.numRows; i++) keys[i] = values.map((v) => v[i] ?? '\u0000').join('\u0001')
    return keys
  }
  const trainKeys = new Set(rowKeys(real))
  const share = (keys: string[]): number =>
    keys.length === 0 ? 0 : keys.filter((x) => trainKeys.has(x)).length / keys.length
  const exactMatch = share(rowKeys(synthetic))
  const holdoutExactMatch = holdout === undefined ? null : share(rowKeys(holdout))

  let dcr: { score: number; synthMedian: number; holdoutMedian: number; closerToTrain: number } | null = null
  if (holdout !== undefined && holdout.numRows > 0 && synthetic.numRows > 0) {
    const encoder = createGowerEncoder(real, featureNames)
    const er = encoder(real)
    const eh = encoder(holdout)
    const es = encoder(synthetic)
    const m = Math.min(real.numRows, holdout.numRows, options.dcrReferences ?? 5_000)
    const q = Math.min(synthetic.numRows, options.dcrQueries ?? 1_000)
    const pick = (n: number, size: number): Uint32Array => Uint32Array.from({ length: size }, () => random.int(n))
    const trainRef = pick(real.numRows, m)
    const holdRef = pick(holdout.numRows, m)
    const synthQ = pick(synthetic.numRows, q)
    const holdQ = pick(holdout.numRows, Math.min(q, holdout.numRows))
    const sTrain = closestDistances(es, synthQ, er, trainRef)
    const sHold = closestDistances(es, synthQ, eh, holdRef)
    const hTrain = closestDistances(eh, holdQ, er, trainRef)
    let closer = 0
    for (let i = 0; i < q; i++) {
      const a = sTrain[i] as number
      const b = sHold[i] as number
      closer += a < b ? 1 : a === b ? 0.5 : 0
    }
    const closerToTrain = closer / q
    dcr = {
      score: Math.min(1, 2 * (1 - closerToTrain)),
      synthMedian: median(sTrain),
      holdoutMedian: median(hTrain),
      closerToTrain,
    }
  }

  let piiLeaks = 0
  const leaksByColumn: Record<string, number> = {}
  if (piiColumns.size > 0) {
    // Real PII value → the real column it came from (only counts and column names ever leave this function).
    const raw = new Map<string, string>()
    for (const c of real.columns) {
      if (!piiColumns.has(c.name)) continue
      leaksByColumn[c.name] = 0
      for (const v of stringValues(c, real.numRows)) if (v !== null && v !== '' && !raw.has(v)) raw.set(v, c.name)
    }
    for (const c of synthetic.columns) {
      for (const v of stringValues(c, synthetic.numRows)) {
        const source = v === null ? undefined : raw.get(v)
        if (source !== undefined) {
          piiLeaks++
          leaksByColumn[source] = (leaksByColumn[source] ?? 0) + 1
        }
      }
    }
  }
  return { exactMatch, holdoutExactMatch, dcr, piiLeaks, leaksByColumn }
}

function median(x: Float64Array): number {
  if (x.length === 0) return 0
  const s = Float64Array.from(x).sort()
  const m = s.length >> 1
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}
