import type { Verdict } from '@modelgate/core'
import { formatPercent, formatStatistic } from '@modelgate/core'
import type { FeatureValue, SchemaSkew, TestSummary, Tolerance, ValueType } from '../types.js'
import type { AlignedFeature } from './alignedFeature.js'
import { asStrings, coerceIsoStrings, nullRate } from './alignedFeature.js'
import { categoricalTests, equivalenceTest, numericTests } from './statsBridge.js'

export interface FeatureNoise {
  /** Largest self-difference of a numeric feature. */
  readonly floor: number
  /** Matched rows where the path disagreed with itself (null vs value, or categorical change). */
  readonly noisy: Uint8Array
}

export interface CompareSettings {
  readonly tolerance: Tolerance
  readonly alpha: number
  readonly psiThreshold: number
  readonly jsThreshold: number
  readonly maxNullRateDelta: number
  readonly worstRows: number
  readonly rareBelow: number
  /** Absolute TOST margin, or null to derive it from the batch values' sd. */
  readonly margin: number | null
  readonly marginSdFactor: number
}

/** One row the paths disagree on, before the input row is attached. */
interface RawWorst {
  readonly row: number
  readonly score: number
  readonly batch: FeatureValue
  readonly online: FeatureValue
  readonly difference: number | null
}

export interface RawFeatureComparison {
  readonly compared: number
  readonly agreeing: number
  readonly nullMismatches: number
  readonly noisyRows: number
  readonly maxAbsDifference: number
  readonly meanDifference: number
  readonly schema: SchemaSkew
  readonly distributionTests: TestSummary[]
  readonly equivalence: TestSummary | null
  readonly margin?: { readonly value: number; readonly source: string }
  readonly worst: RawWorst[]
  readonly histogram?: { readonly labels: string[]; readonly batch: number[]; readonly online: number[] }
  /** A sample of paired numeric values (batch, online) for the scatter chart: the worst rows and an even spread. */
  readonly pairs?: { readonly batch: number[]; readonly online: number[] }
}

const NUMERIC: readonly ValueType[] = ['number', 'boolean', 'datetime']

function schemaSkew(batch: AlignedFeature, online: AlignedFeature, maxNullRateDelta: number): SchemaSkew {
  const problems: string[] = []
  let verdict: Verdict = 'pass'
  const batchNullRate = batch.type === 'missing' ? 1 : nullRate(batch)
  const onlineNullRate = online.type === 'missing' ? 1 : nullRate(online)
  if (batch.type === 'missing' || online.type === 'missing') {
    problems.push(`missing in the ${batch.type === 'missing' ? 'batch' : 'online'} output`)
    verdict = 'fail'
  } else {
    if (batch.type !== online.type) {
      const mild =
        (batch.type === 'boolean' && online.type === 'number') || (batch.type === 'number' && online.type === 'boolean')
      problems.push(`type changed: ${batch.type} in batch, ${online.type} online`)
      verdict = mild ? 'warn' : 'fail'
    }
    const delta = Math.abs(batchNullRate - onlineNullRate)
    if (delta > maxNullRateDelta) {
      problems.push(
        `null rate ${formatPercent(batchNullRate, { smallDigits: 3 })} in batch vs ${formatPercent(onlineNullRate, { smallDigits: 3 })} online (Δ ${formatPercent(delta, { smallDigits: 3 })} > ${formatPercent(maxNullRateDelta, { smallDigits: 3 })})`,
      )
      verdict = 'fail'
    }
  }
  return { batchType: batch.type, onlineType: online.type, batchNullRate, onlineNullRate, problems, verdict }
}

/**
 * Worst rows of two kinds: a value on one side only (null mismatch) and the largest differences. Up to half the
 * slots go to null mismatches when both kinds exist, so that a report shows both.
 */
class WorstRows {
  readonly nulls: TopK
  readonly values: TopK
  constructor(readonly k: number) {
    this.nulls = new TopK(k)
    this.values = new TopK(k)
  }
  get items(): RawWorst[] {
    const nulls = this.nulls.items
    const values = this.values.items
    const takeNulls = Math.min(nulls.length, Math.max(this.k - values.length, Math.ceil(this.k / 2)))
    return [...nulls.slice(0, takeNulls), ...values.slice(0, this.k - takeNulls)]
  }
}

class TopK {
  readonly items: RawWorst[] = []
  constructor(readonly k: number) {}
  offer(score: number, make: () => RawWorst): void {
    if (this.k <= 0) return
    if (this.items.length === this.k && score <= (this.items[this.k - 1] as RawWorst).score) return
    const item = make()
    let i = this.items.length
    this.items.push(item)
    while (i > 0 && (this.items[i - 1] as RawWorst).score < score) {
      this.items[i] = this.items[i - 1] as RawWorst
      i--
    }
    this.items[i] = item
    if (this.items.length > this.k) this.items.pop()
  }
}

function decode(type: string, v: number): FeatureValue {
  if (type === 'boolean') return v === 1
  if (type === 'datetime') return new Date(v).toISOString()
  return v
}

/** Compares one feature across the matched rows of the two paths. */
export function compareFeature(
  batchFeature: AlignedFeature,
  onlineFeature: AlignedFeature,
  noise: FeatureNoise | null,
  settings: CompareSettings,
): RawFeatureComparison {
  const batch = onlineFeature.type === 'datetime' ? coerceIsoStrings(batchFeature) : batchFeature
  const online = batchFeature.type === 'datetime' ? coerceIsoStrings(onlineFeature) : onlineFeature
  const schema = schemaSkew(batch, online, settings.maxNullRateDelta)
  if (batch.type === 'missing' || online.type === 'missing') {
    return {
      compared: 0,
      agreeing: 0,
      nullMismatches: 0,
      noisyRows: 0,
      maxAbsDifference: 0,
      meanDifference: 0,
      schema,
      distributionTests: [],
      equivalence: null,
      worst: [],
    }
  }
  if (
    batch.type !== 'string' &&
    online.type !== 'string' &&
    NUMERIC.includes(batch.type) &&
    NUMERIC.includes(online.type)
  ) {
    return compareNumeric(batch, online, noise, settings, schema)
  }
  return compareStrings(asStrings(batch), asStrings(online), noise, settings, schema)
}

function compareNumeric(
  batch: Extract<AlignedFeature, { values: Float64Array }>,
  online: Extract<AlignedFeature, { values: Float64Array }>,
  noise: FeatureNoise | null,
  settings: CompareSettings,
  schema: SchemaSkew,
): RawFeatureComparison {
  const m = batch.values.length
  const { absolute, relative } = settings.tolerance
  const floor = noise?.floor ?? 0
  const noisy = noise?.noisy ?? null
  const b = batch.values
  const o = online.values
  const bv = batch.valid
  const ov = online.valid
  const top = new WorstRows(settings.worstRows)
  let agreeing = 0
  let compared = 0
  let nullMismatches = 0
  let noisyRows = 0
  let maxAbs = 0
  let sumDiff = 0
  let paired = 0
  let bCount = 0
  let oCount = 0
  for (let r = 0; r < m; r++) {
    bCount += bv[r] as number
    oCount += ov[r] as number
    if (noisy !== null && noisy[r] === 1) {
      noisyRows++
      continue
    }
    compared++
    const hasB = bv[r] === 1
    const hasO = ov[r] === 1
    if (!hasB && !hasO) {
      agreeing++
      continue
    }
    if (hasB !== hasO) {
      nullMismatches++
      top.nulls.offer(Number.POSITIVE_INFINITY, () => ({
        row: r,
        score: Number.POSITIVE_INFINITY,
        batch: hasB ? decode(batch.type, b[r] as number) : null,
        online: hasO ? decode(online.type, o[r] as number) : null,
        difference: null,
      }))
      continue
    }
    const x = b[r] as number
    const y = o[r] as number
    const d = y - x
    const ad = Math.abs(d)
    paired++
    sumDiff += d
    if (ad > maxAbs) maxAbs = ad
    const tol = absolute + relative * Math.max(Math.abs(x), Math.abs(y)) + floor
    if (ad <= tol) agreeing++
    else
      top.values.offer(ad, () => ({
        row: r,
        score: ad,
        batch: decode(batch.type, x),
        online: decode(online.type, y),
        difference: d,
      }))
  }
  // Distribution-level tests on each side's non-null values, TOST on the paired differences.
  const bAll = new Float64Array(bCount)
  const oAll = new Float64Array(oCount)
  const bPair = new Float64Array(paired)
  const oPair = new Float64Array(paired)
  let ib = 0
  let io = 0
  let ip = 0
  let mean = 0
  for (let r = 0; r < m; r++) {
    const hasB = bv[r] === 1
    const hasO = ov[r] === 1
    if (hasB) {
      bAll[ib++] = b[r] as number
      mean += b[r] as number
    }
    if (hasO) oAll[io++] = o[r] as number
    if (hasB && hasO && (noisy === null || noisy[r] === 0)) {
      bPair[ip] = b[r] as number
      oPair[ip] = o[r] as number
      ip++
    }
  }
  mean = bCount > 0 ? mean / bCount : 0
  let ss = 0
  for (let i = 0; i < bCount; i++) ss += ((bAll[i] as number) - mean) ** 2
  const sd = bCount > 1 ? Math.sqrt(ss / (bCount - 1)) : 0
  const margin =
    settings.margin !== null
      ? { value: settings.margin, source: 'given' }
      : sd > 0
        ? {
            value: settings.marginSdFactor * sd,
            source: `${settings.marginSdFactor} × sd(batch) = ${settings.marginSdFactor} × ${formatStatistic(sd)}`,
          }
        : { value: Math.max(absolute, 1e-12), source: 'absolute tolerance (batch values are constant)' }
  const distributionTests = numericTests(bAll, oAll, { alpha: settings.alpha, psiThreshold: settings.psiThreshold })
  const equivalence = equivalenceTest(bPair, oPair, { margin: margin.value, alpha: settings.alpha })
  return {
    compared,
    agreeing,
    nullMismatches,
    noisyRows,
    maxAbsDifference: maxAbs,
    meanDifference: paired > 0 ? sumDiff / paired : 0,
    schema,
    distributionTests,
    equivalence,
    margin,
    worst: top.items,
    histogram: numericHistogram(bAll, oAll, batch.type === 'boolean' && online.type === 'boolean'),
    ...(batch.type === 'boolean' || batch.type === 'datetime' ? {} : { pairs: samplePairs(bPair, oPair, top) }),
  }
}

/** Points drawn in the batch-vs-online scatter at most. */
const SCATTER_POINTS = 400

/** The disagreeing rows kept as worst rows, then paired rows evenly spread, up to SCATTER_POINTS. */
function samplePairs(b: Float64Array, o: Float64Array, top: WorstRows): { batch: number[]; online: number[] } {
  const batch: number[] = []
  const online: number[] = []
  for (const w of top.values.items) {
    if (typeof w.batch === 'number' && typeof w.online === 'number') {
      batch.push(w.batch)
      online.push(w.online)
    }
  }
  const room = SCATTER_POINTS - batch.length
  const step = Math.max(1, b.length / Math.max(1, room))
  for (let i = 0; i < b.length && batch.length < SCATTER_POINTS; i += step) {
    const k = Math.floor(i)
    batch.push(b[k] as number)
    online.push(o[k] as number)
  }
  return { batch, online }
}

function compareStrings(
  b: readonly (string | null)[],
  o: readonly (string | null)[],
  noise: FeatureNoise | null,
  settings: CompareSettings,
  schema: SchemaSkew,
): RawFeatureComparison {
  const m = b.length
  const noisy = noise?.noisy ?? null
  const top = new WorstRows(settings.worstRows)
  const bCounts = new Map<string, number>()
  const oCounts = new Map<string, number>()
  let agreeing = 0
  let compared = 0
  let nullMismatches = 0
  let noisyRows = 0
  for (let r = 0; r < m; r++) {
    const x = b[r] ?? null
    const y = o[r] ?? null
    if (x !== null) bCounts.set(x, (bCounts.get(x) ?? 0) + 1)
    if (y !== null) oCounts.set(y, (oCounts.get(y) ?? 0) + 1)
    if (noisy !== null && noisy[r] === 1) {
      noisyRows++
      continue
    }
    compared++
    if (x === y) {
      agreeing++
      continue
    }
    const oneNull = x === null || y === null
    if (oneNull) nullMismatches++
    const score = oneNull ? Number.POSITIVE_INFINITY : 1
    ;(oneNull ? top.nulls : top.values).offer(score, () => ({ row: r, score, batch: x, online: y, difference: null }))
  }
  const rare = (v: FeatureValue): FeatureValue =>
    typeof v === 'string' && (bCounts.get(v) ?? 0) < settings.rareBelow && (oCounts.get(v) ?? 0) < settings.rareBelow
      ? '(rare)'
      : v
  const worst = top.items.map((w) => ({ ...w, batch: rare(w.batch), online: rare(w.online) }))
  return {
    compared,
    agreeing,
    nullMismatches,
    noisyRows,
    maxAbsDifference: 0,
    meanDifference: 0,
    schema,
    distributionTests: categoricalTests(bCounts, oCounts, {
      jsThreshold: settings.jsThreshold,
      psiThreshold: settings.psiThreshold,
    }),
    equivalence: null,
    worst,
    histogram: categoricalHistogram(bCounts, oCounts, settings.rareBelow),
  }
}

const BINS = 20

function numericHistogram(
  b: Float64Array,
  o: Float64Array,
  boolean: boolean,
): { labels: string[]; batch: number[]; online: number[] } {
  if (boolean) {
    const count = (a: Float64Array, v: number): number => a.reduce((s, x) => s + (x === v ? 1 : 0), 0)
    return { labels: ['false', 'true'], batch: [count(b, 0), count(b, 1)], online: [count(o, 0), count(o, 1)] }
  }
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (const a of [b, o]) {
    for (let i = 0; i < a.length; i++) {
      const v = a[i] as number
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
  }
  if (!Number.isFinite(lo)) return { labels: [], batch: [], online: [] }
  const bins = hi > lo ? BINS : 1
  const width = hi > lo ? (hi - lo) / bins : 1
  const fill = (a: Float64Array): number[] => {
    const counts = new Array<number>(bins).fill(0)
    for (let i = 0; i < a.length; i++) {
      const k = Math.min(bins - 1, Math.floor(((a[i] as number) - lo) / width))
      counts[k] = (counts[k] as number) + 1
    }
    return counts
  }
  const labels = Array.from({ length: bins }, (_, k) => formatStatistic(lo + k * width))
  return { labels, batch: fill(b), online: fill(o) }
}

const TOP = 12

/** Rare categories (fewer than `rareBelow` rows on both sides) are pooled so that no rare value reaches a report. */
function categoricalHistogram(
  b: ReadonlyMap<string, number>,
  o: ReadonlyMap<string, number>,
  rareBelow: number,
): { labels: string[]; batch: number[]; online: number[] } {
  const keys = new Set([...b.keys(), ...o.keys()])
  const common = [...keys]
    .filter((k) => (b.get(k) ?? 0) >= rareBelow || (o.get(k) ?? 0) >= rareBelow)
    .sort((x, y) => (b.get(y) ?? 0) + (o.get(y) ?? 0) - (b.get(x) ?? 0) - (o.get(x) ?? 0))
    .slice(0, TOP)
  const shown = new Set(common)
  let bOther = 0
  let oOther = 0
  for (const k of keys) {
    if (shown.has(k)) continue
    bOther += b.get(k) ?? 0
    oOther += o.get(k) ?? 0
  }
  const labels = [...common]
  const batch = common.map((k) => b.get(k) ?? 0)
  const online = common.map((k) => o.get(k) ?? 0)
  if (bOther + oOther > 0) {
    labels.push('(other)')
    batch.push(bOther)
    online.push(oOther)
  }
  return { labels, batch, online }
}
