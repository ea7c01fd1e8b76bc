import type { Table } from '@modelgate/core'
import { sliceTable } from '@modelgate/core'
import type { Baseline, ColumnBaseline, LearnedThresholds } from '../baseline.js'
import { createDriftState } from '../createDriftState.js'
import type { DriftState } from '../DriftState.js'
import { DriftError } from '../errors.js'

const MAX_CHUNKS = 200

/**
 * NannyML's rule for thresholds learned from the reference: cut it into consecutive chunks of the window size, compute
 * each column's distance per chunk against the whole reference, and store mean + 3σ (sample standard deviation).
 * p-value methods are not learned (their threshold is a significance level). Needs at least 2 chunks per size.
 */
export function learnThresholds(baseline: Baseline, table: Table, windowRows: readonly number[]): LearnedThresholds[] {
  const out: LearnedThresholds[] = []
  for (const w of windowRows) {
    if (!Number.isInteger(w) || w < 1) {
      throw new DriftError('MG_DRIFT_BAD_OPTION', `buildBaseline: windowRows must be positive integers, got ${w}.`)
    }
    const chunks = Math.min(MAX_CHUNKS, Math.floor(table.numRows / w))
    if (chunks < 2) {
      throw new DriftError(
        'MG_DRIFT_BAD_OPTION',
        `buildBaseline: a ${w.toLocaleString('en-US')}-row window leaves ${chunks} chunk${chunks === 1 ? '' : 's'} of the ${table.numRows.toLocaleString('en-US')}-row reference; learning a threshold needs at least 2.`,
      )
    }
    const stats = new Map<string, { method: string; values: number[] }>()
    for (let c = 0; c < chunks; c++) {
      // each chunk against the rest of the reference (the baseline's counts minus the chunk's), not against a
      // reference that contains it, which would make every learned threshold too small
      const chunk = sliceTable(table, c * w, (c + 1) * w)
      const rest = withoutChunk(baseline, createDriftState(baseline).addTable(chunk))
      const report = createDriftState(rest).addTable(chunk).evaluate({ minRows: 1 })
      for (const check of report.checks) {
        const details = check.details as { method?: string; pValue?: boolean } | undefined
        const statistic = check.metrics?.statistic
        if (!check.id.startsWith('drift.column.') || details?.method === undefined || statistic === undefined) continue
        if (check.metrics?.pValue !== undefined) continue
        const entry = stats.get(check.name) ?? { method: details.method, values: [] }
        entry.values.push(statistic)
        stats.set(check.name, entry)
      }
    }
    out.push({
      windowRows: w,
      chunks,
      columns: [...stats].map(([name, { method, values }]) => {
        const mean = values.reduce((a, b) => a + b, 0) / values.length
        const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1))
        const logs = values.map((v) => Math.log(Math.max(v, 1e-12)))
        const logMean = logs.reduce((a, b) => a + b, 0) / logs.length
        const logStd = Math.sqrt(logs.reduce((a, b) => a + (b - logMean) ** 2, 0) / Math.max(1, logs.length - 1))
        return { name, method, mean, std, threshold: mean + 3 * std, logMean, logStd }
      }),
    })
  }
  return out
}

/** The baseline of the reference without one of its chunks: the chunk's counts subtracted (same bins, same methods). */
function withoutChunk(baseline: Baseline, chunk: DriftState): Baseline {
  const columns = baseline.columns.map((column): ColumnBaseline => {
    const acc = chunk.columns.get(column.name)
    if (acc === undefined) return column
    const rows = column.rows - acc.present
    const nulls = column.nulls - acc.nulls
    if (column.kind === 'numeric' && acc.kind === 'numeric') {
      const n = column.count - acc.count
      if (n <= 0) return column
      const mean = (column.count * column.mean - acc.count * acc.mean) / n
      const delta = acc.mean - mean
      const m2 = Math.max(0, column.m2 - acc.m2 - (delta * delta * acc.count * n) / column.count)
      return {
        ...column,
        rows,
        nulls,
        count: n,
        mean,
        m2,
        below: column.below - acc.below,
        above: column.above - acc.above,
        excessBelow: Math.max(0, column.excessBelow - acc.excessBelow),
        excessAbove: Math.max(0, column.excessAbove - acc.excessAbove),
        binCounts: column.binCounts.map((k, i) => k - (acc.bins[i] as number)),
        binSums: column.binSums.map((k, i) => k - (acc.binSums[i] as number)),
      }
    }
    if (column.kind === 'categorical' && acc.kind === 'categorical') {
      const outside = acc.counts[acc.counts.length - 1] as number
      return {
        ...column,
        rows,
        nulls,
        count: column.count - (acc.counts.reduce((a, b) => a + b, 0) as number),
        categories: column.categories.map(([key, k], i) => [key, k - (acc.counts[i] as number)]),
        other: column.other - outside,
      }
    }
    return column
  })
  return { ...baseline, columns, multivariate: null }
}
