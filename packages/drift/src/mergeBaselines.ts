import type { QuantileSketch } from '@modelgate/stats'
import { quantileSketchFromJSON } from '@modelgate/stats'
import type { Baseline, CategoricalColumnBaseline, ColumnBaseline, NumericColumnBaseline } from './baseline.js'
import { sealBaseline } from './baseline.js'
import { DriftError } from './errors.js'
import { binIndex, quantileEdges } from './internal/bins.js'
import { clampSketch } from './internal/sketch.js'

/**
 * Merges baselines built per partition into one (see the README's "Building and merging"): counts, nulls, moments
 * and category counts add exactly; quantile sketches merge; the trimmed range widens to the partitions' outermost
 * trimmed values; bin edges are re-derived from the merged sketch and bin counts from its CDF (`exactBins: false`).
 * Partitions must have the same settings and columns (MG_DRIFT_BASELINE_MISMATCH otherwise). The PCA model of
 * multivariate drift and learned thresholds are not merged (each was fitted on one partition's rows).
 */
export function mergeBaselines(baselines: readonly Baseline[], options: { readonly name?: string } = {}): Baseline {
  const first = baselines[0]
  if (first === undefined) throw new DriftError('MG_DRIFT_BAD_OPTION', 'mergeBaselines: no baselines to merge.')
  const mismatch = (why: string): DriftError => new DriftError('MG_DRIFT_BASELINE_MISMATCH', `mergeBaselines: ${why}.`)
  for (const [i, b] of baselines.entries()) {
    if (JSON.stringify(b.settings) !== JSON.stringify(first.settings)) {
      throw mismatch(
        `partition ${i + 1} was built with other settings (${JSON.stringify(b.settings)} vs ${JSON.stringify(first.settings)})`,
      )
    }
    const names = b.columns.map((c) => `${c.name}:${c.kind}`).join(',')
    if (names !== first.columns.map((c) => `${c.name}:${c.kind}`).join(',')) {
      throw mismatch(`partition ${i + 1} has other columns or kinds (${names})`)
    }
    if (b.prediction?.column !== first.prediction?.column || b.target?.column !== first.target?.column) {
      throw mismatch(`partition ${i + 1} names another prediction or target column`)
    }
  }
  const columns = first.columns.map((_, j) =>
    mergeColumn(
      baselines.map((b) => b.columns[j] as ColumnBaseline),
      first.settings.bins,
    ),
  )
  return sealBaseline({
    format: first.format,
    version: first.version,
    createdAt: new Date().toISOString(),
    source: {
      ...(options.name === undefined ? {} : { name: options.name }),
      rows: baselines.reduce((n, b) => n + b.source.rows, 0),
      partitions: baselines.reduce((n, b) => n + b.source.partitions, 0),
    },
    settings: first.settings,
    columns,
    prediction: first.prediction,
    target: first.target,
    // a PCA model and its reference error cannot be merged from partitions (each was fitted on its own rows)
    multivariate: null,
  })
}

function mergeColumn(parts: readonly ColumnBaseline[], bins: number): ColumnBaseline {
  const first = parts[0] as ColumnBaseline
  const rows = parts.reduce((n, p) => n + p.rows, 0)
  const nulls = parts.reduce((n, p) => n + p.nulls, 0)
  const count = parts.reduce((n, p) => n + p.count, 0)
  switch (first.kind) {
    case 'numeric':
      return mergeNumeric(parts as NumericColumnBaseline[], bins)
    case 'categorical': {
      const counts = new Map<string, number>()
      let other = 0
      for (const p of parts as CategoricalColumnBaseline[]) {
        for (const [key, n] of p.categories) counts.set(key, (counts.get(key) ?? 0) + n)
        other += p.other
      }
      const categories = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      return { ...first, rows, nulls, count, categories, other }
    }
    case 'pii':
      return { ...first, rows, nulls, count, valid: parts.reduce((n, p) => n + (p.kind === 'pii' ? p.valid : 0), 0) }
    default:
      return { ...first, rows, nulls, count }
  }
}

function mergeNumeric(parts: readonly NumericColumnBaseline[], bins: number): NumericColumnBaseline {
  const first = parts[0] as NumericColumnBaseline
  let count = 0
  let mean = 0
  let m2 = 0
  for (const p of parts) {
    if (p.count === 0) continue
    const total = count + p.count
    const delta = p.mean - mean
    m2 += p.m2 + (delta * delta * count * p.count) / total
    mean += (delta * p.count) / total
    count = total
  }
  let sketch: QuantileSketch | undefined
  for (const p of parts) {
    if (p.sketch === null) {
      throw new DriftError(
        'MG_DRIFT_BASELINE_MISMATCH',
        `mergeBaselines: column "${first.name}" has no quantile sketch in a partition (built with sketches off); partitions need sketches to merge.`,
      )
    }
    const s = quantileSketchFromJSON(p.sketch)
    if (sketch === undefined) sketch = s
    else sketch.merge(s)
  }
  const merged = sketch as QuantileSketch
  const trimmedMin = Math.min(...parts.map((p) => p.trimmedMin))
  const trimmedMax = Math.max(...parts.map((p) => p.trimmedMax))
  // values outside the widened range: exact where a partition's range was the outermost, else what lay beyond it
  let below = 0
  let above = 0
  let excessBelow = 0
  let excessAbove = 0
  for (const p of parts) {
    if (p.trimmedMin === trimmedMin) {
      below += p.below
      excessBelow += p.excessBelow
    }
    if (p.trimmedMax === trimmedMax) {
      above += p.above
      excessAbove += p.excessAbove
    }
  }
  const edgeArray = quantileEdges(bins, (probabilities) => merged.quantiles(probabilities))
  // bin counts and sums from the merged sketch's retained items (each of weight 2^level)
  const binCounts = new Array<number>(edgeArray.length + 1).fill(0)
  const binSums = new Array<number>(edgeArray.length + 1).fill(0)
  merged.toJSON().levels.forEach((level, h) => {
    const w = 2 ** h
    for (const v of level) {
      const b = binIndex(edgeArray, v)
      binCounts[b] = (binCounts[b] as number) + w
      binSums[b] = (binSums[b] as number) + w * Math.min(trimmedMax, Math.max(trimmedMin, v))
    }
  })
  return {
    ...first,
    rows: parts.reduce((n, p) => n + p.rows, 0),
    nulls: parts.reduce((n, p) => n + p.nulls, 0),
    count,
    invalid: parts.reduce((n, p) => n + p.invalid, 0),
    mean,
    m2,
    trimmedMin,
    trimmedMax,
    below,
    above,
    excessBelow,
    excessAbove,
    edges: Array.from(edgeArray),
    binCounts,
    binSums,
    exactBins: false,
    sketch: clampSketch(merged.toJSON(), trimmedMin, trimmedMax),
  }
}
