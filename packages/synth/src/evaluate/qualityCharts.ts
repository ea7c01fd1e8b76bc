import type { Chart } from '@modelgate/core'
import { trimmedBounds } from '@modelgate/core'
import type { EvalColumn } from '../internal/evalColumn.js'
import type { QualityScores } from '../internal/qualityMetrics.js'
import { pearson } from '../internal/qualityMetrics.js'
import { roundScore as round } from './roundScore.js'

// The charts of `synth evaluate`'s report: real vs synthetic per column, the correlation matrices and the pair scores.

export function columnChart(col: EvalColumn, k: number): Chart {
  if (col.type === 'categorical') {
    const size = col.dictionary.length
    const rc = new Float64Array(size)
    const sc = new Float64Array(size)
    for (const c of col.real) if (c >= 0) rc[c] = (rc[c] as number) + 1
    for (const c of col.synthetic) if (c >= 0) sc[c] = (sc[c] as number) + 1
    const nr = rc.reduce((a, b) => a + b, 0) || 1
    const ns = sc.reduce((a, b) => a + b, 0) || 1
    // Only categories seen at least k times in the real data are named; rare ones never reach a report.
    const shown = Array.from({ length: size }, (_, i) => i)
      .filter((i) => (rc[i] as number) >= k)
      .sort((a, b) => (rc[b] as number) - (rc[a] as number))
      .slice(0, 20)
    return {
      kind: 'bars',
      title: `${col.name}: category shares`,
      labels: shown.map((i) => col.dictionary[i] as string),
      series: [
        { name: 'real', values: shown.map((i) => round((rc[i] as number) / nr)) },
        { name: 'synthetic', values: shown.map((i) => round((sc[i] as number) / ns)) },
      ],
    }
  }
  // Bin edges from the k-th smallest to the k-th largest real value: labels never show a single record's extreme.
  const sorted = col.real.filter((v) => !Number.isNaN(v)).sort()
  const { min: lo, max: hi } = sorted.length === 0 ? { min: 0, max: 0 } : trimmedBounds(sorted, k)
  const bins = 20
  const width = hi > lo ? (hi - lo) / bins : 1
  const count = (values: Float64Array): number[] => {
    const out = new Array<number>(bins).fill(0)
    let n = 0
    for (const v of values)
      if (!Number.isNaN(v)) {
        n++
        const b = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))
        out[b] = (out[b] as number) + 1
      }
    return out.map((c) => round(c / Math.max(1, n)))
  }
  const labels = Array.from({ length: bins }, (_, b) => compact(lo + b * width))
  return {
    kind: 'bars',
    title: `${col.name}: distribution`,
    labels,
    series: [
      { name: 'real', values: count(col.real) },
      { name: 'synthetic', values: count(col.synthetic) },
    ],
  }
}

export function correlationCharts(columns: readonly EvalColumn[]): Chart[] {
  const numeric = columns.filter((c) => c.type === 'numeric')
  if (numeric.length < 2) return []
  const names = numeric.map((c) => c.name)
  const matrix = (pick: (c: EvalColumn) => Float64Array): number[][] =>
    numeric.map((a) => numeric.map((b) => round(a === b ? 1 : pearson(pick(a), pick(b)))))
  return [
    {
      kind: 'heatmap',
      title: 'Correlation (real)',
      rows: names,
      columns: names,
      values: matrix((c) => c.real as Float64Array),
      min: -1,
      max: 1,
    },
    {
      kind: 'heatmap',
      title: 'Correlation (synthetic)',
      rows: names,
      columns: names,
      values: matrix((c) => c.synthetic as Float64Array),
      min: -1,
      max: 1,
    },
  ]
}

export function pairScoreChart(quality: QualityScores): Chart {
  const names = quality.shapes.map((s) => s.column)
  const index = new Map(names.map((n, i) => [n, i]))
  const values = names.map((_, i) => names.map((__, j) => (i === j ? round(quality.shapes[i]?.score ?? 1) : 0)))
  for (const p of quality.pairs) {
    const a = index.get(p.columns[0]) as number
    const b = index.get(p.columns[1]) as number
    ;(values[a] as number[])[b] = round(p.score)
    ;(values[b] as number[])[a] = round(p.score)
  }
  return {
    kind: 'heatmap',
    title: 'Column Pair Trends score (diagonal: Column Shapes)',
    rows: names,
    columns: names,
    values,
    min: 0,
    max: 1,
    scale: 'higherIsBetter',
  }
}

function compact(x: number): string {
  return Math.abs(x) >= 1e4 ? x.toExponential(2) : String(Math.round(x * 100) / 100)
}
