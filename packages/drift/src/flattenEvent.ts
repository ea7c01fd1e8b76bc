import type { Baseline } from './baseline.js'

/**
 * Maps an inference event to a row of baseline columns: `features.x` → `x` (nested objects inside `features`
 * flatten with dots: `features.geo.country` → `geo.country`), `prediction.score` → the baseline's prediction column,
 * `prediction.label` → a column of that name only if the baseline has one; other top-level fields are not columns.
 * Anything that is not an object maps to an empty row (every column "not present").
 */
export function flattenEvent(
  event: unknown,
  baseline: Pick<Baseline, 'prediction' | 'columns'>,
): Record<string, unknown> {
  const row: Record<string, unknown> = {}
  if (event === null || typeof event !== 'object') return row
  const e = event as { features?: unknown; prediction?: unknown }
  if (e.features !== null && typeof e.features === 'object' && !Array.isArray(e.features)) {
    flatten(e.features as Record<string, unknown>, '', row)
  }
  if (e.prediction !== null && typeof e.prediction === 'object') {
    const p = e.prediction as { score?: unknown; label?: unknown }
    if (baseline.prediction !== null && p.score !== undefined) row[baseline.prediction.column] = p.score
    if (p.label !== undefined && baseline.columns.some((c) => c.name === 'label')) row.label = p.label
  } else if (typeof e.prediction === 'number' && baseline.prediction !== null) {
    row[baseline.prediction.column] = e.prediction
  }
  return row
}

function flatten(obj: Readonly<Record<string, unknown>>, prefix: string, out: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(obj)) {
    const name = prefix === '' ? key : `${prefix}.${key}`
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      flatten(value as Record<string, unknown>, name, out)
    else out[name] = value
  }
}
