import type { ColumnSchema, Random, TableSchema } from '@modelgate/core'
import { replacementValue, schemaValue } from './synthetic.js'

/** One thing an example set must show the provider: a category, a null, a bound, a boolean value. */
interface CoverageTarget {
  readonly column: string
  readonly value: unknown
  /** e.g. `merchant_category=travel`, `device_fingerprint=null`, `amount=min(0)`. */
  readonly label: string
}

interface SelectedExample {
  readonly row: Record<string, unknown>
  readonly kind: 'typical' | 'coverage'
  readonly covers: readonly string[]
}

export interface SelectionResult {
  readonly examples: readonly SelectedExample[]
  readonly uncovered: readonly string[]
}

export interface SelectOptions {
  readonly rng: Random
  /** Total interactions wanted; undefined = every coverage target plus one typical row. */
  readonly interactions?: number
  /** Categories seen fewer than k times in the examples (and absent from the schema) are never used. */
  readonly k: number
}

/** Columns whose values must never be copied from examples into a contract. */
const isSynthesized = (c: ColumnSchema): boolean =>
  c.pii !== undefined || c.kind === 'id' || (c.unique === true && c.kind === 'text')

/** Coverage targets per column, from the schema (and, for categories without a declared list, the examples). */
function coverageTargets(
  schema: TableSchema,
  rows: readonly Readonly<Record<string, unknown>>[],
  k: number,
): CoverageTarget[][] {
  const perColumn: CoverageTarget[][] = []
  for (const column of schema.columns) {
    const targets: CoverageTarget[] = []
    const name = column.name
    if (column.kind === 'categorical' && !isSynthesized(column)) {
      let values = column.values
      if (values === undefined) {
        const counts = new Map<string, number>()
        for (const row of rows) {
          const v = row[name]
          if (typeof v === 'string') counts.set(v, (counts.get(v) ?? 0) + 1)
        }
        values = [...counts]
          .filter(([, n]) => n >= k)
          .map(([v]) => v)
          .sort()
      }
      for (const v of values) targets.push({ column: name, value: v, label: `${name}=${v}` })
    }
    if (column.kind === 'boolean') {
      targets.push(
        { column: name, value: true, label: `${name}=true` },
        { column: name, value: false, label: `${name}=false` },
      )
    }
    if ((column.kind === 'numeric' || column.kind === 'integer') && !isSynthesized(column)) {
      if (typeof column.min === 'number')
        targets.push({ column: name, value: column.min, label: `${name}=min(${column.min})` })
      if (typeof column.max === 'number')
        targets.push({ column: name, value: column.max, label: `${name}=max(${column.max})` })
    }
    if (column.kind === 'datetime') {
      if (typeof column.min === 'string')
        targets.push({ column: name, value: column.min, label: `${name}=min(${column.min})` })
      if (typeof column.max === 'string')
        targets.push({ column: name, value: column.max, label: `${name}=max(${column.max})` })
    }
    if (column.nullable) targets.push({ column: name, value: null, label: `${name}=null` })
    perColumn.push(targets)
  }
  return perColumn
}

/**
 * Ranks rows by how typical they are: the summed distance of each numeric feature from its median in
 * units of the interquartile range, plus a penalty for nulls and for categories under k occurrences.
 */
function typicalOrder(schema: TableSchema, rows: readonly Readonly<Record<string, unknown>>[], k: number): number[] {
  const n = rows.length
  const score = new Float64Array(n)
  for (const column of schema.columns) {
    const name = column.name
    if (column.kind === 'numeric' || column.kind === 'integer') {
      const values: number[] = []
      for (const row of rows) {
        const v = row[name]
        if (typeof v === 'number') values.push(v)
      }
      values.sort((a, b) => a - b)
      const at = (p: number): number => values[Math.min(values.length - 1, Math.floor(p * (values.length - 1)))] ?? 0
      const median = at(0.5)
      const iqr = at(0.75) - at(0.25) || 1
      for (let i = 0; i < n; i++) {
        const v = (rows[i] as Readonly<Record<string, unknown>>)[name]
        score[i] = (score[i] as number) + (typeof v === 'number' ? Math.abs(v - median) / iqr : 4)
      }
    } else if (column.kind === 'categorical') {
      const counts = new Map<unknown, number>()
      for (const row of rows) counts.set(row[name], (counts.get(row[name]) ?? 0) + 1)
      for (let i = 0; i < n; i++) {
        const v = (rows[i] as Readonly<Record<string, unknown>>)[name]
        if (v === null || (counts.get(v) ?? 0) < k) score[i] = (score[i] as number) + 4
      }
    } else {
      for (let i = 0; i < n; i++) {
        if ((rows[i] as Readonly<Record<string, unknown>>)[name] === null) score[i] = (score[i] as number) + 4
      }
    }
  }
  return Array.from({ length: n }, (_, i) => i).sort((a, b) => (score[a] as number) - (score[b] as number) || a - b)
}

/**
 * Chooses the examples a contract is made of: typical rows first, then rows that together show every
 * category, a null for every nullable field, and every declared bound. Coverage targets of different
 * columns are packed into the same example, so the number of interactions is the largest number of
 * targets of any one column (plus typical rows), not their sum. Values of PII, id and unique columns are
 * always replaced by synthetic ones.
 */
export function selectExamples(
  schema: TableSchema,
  candidates: readonly Readonly<Record<string, unknown>>[],
  options: SelectOptions,
): SelectionResult {
  const { rng, k } = options
  const rows: readonly Readonly<Record<string, unknown>>[] =
    candidates.length > 0
      ? candidates
      : Array.from({ length: 3 }, () => Object.fromEntries(schema.columns.map((c) => [c.name, schemaValue(c, rng)])))
  const order = typicalOrder(schema, rows, k)
  const base = (j: number): Record<string, unknown> => ({
    ...(rows[order[j % order.length] as number] as Record<string, unknown>),
  })

  const targets = coverageTargets(schema, candidates, k)
  const depth = Math.max(0, ...targets.map((t) => t.length))
  const coverage: SelectedExample[] = []
  for (let j = 0; j < depth; j++) {
    // Start from a real example that already shows the target of the busiest column, when one exists.
    const driver = targets.reduce((best, t) => (t.length > best.length ? t : best), [] as CoverageTarget[])[j]
    const match =
      driver === undefined
        ? undefined
        : order.find((i) => (rows[i] as Readonly<Record<string, unknown>>)[driver.column] === driver.value)
    const row = match !== undefined ? { ...(rows[match] as Record<string, unknown>) } : base(j)
    const covers: string[] = []
    for (const columnTargets of targets) {
      const target = columnTargets[j]
      if (target === undefined) continue
      row[target.column] = target.value
      covers.push(target.label)
    }
    coverage.push({ row, kind: 'coverage', covers })
  }

  const wanted = options.interactions ?? coverage.length + 1
  const typicalCount = wanted > coverage.length ? wanted - coverage.length : Math.min(1, wanted)
  const typical: SelectedExample[] = Array.from({ length: typicalCount }, (_, j) => ({
    row: base(j),
    kind: 'typical' as const,
    covers: [],
  }))
  const kept = [...typical, ...coverage].slice(0, wanted)
  const covered = new Set(kept.flatMap((e) => e.covers))
  const uncovered = targets
    .flat()
    .map((t) => t.label)
    .filter((l) => !covered.has(l))

  // Never copy a PII, id or unique value from the examples: every such value is synthetic.
  for (const example of kept) {
    for (const column of schema.columns) {
      if (isSynthesized(column) && example.row[column.name] !== null)
        example.row[column.name] = replacementValue(column, rng)
    }
  }
  return { examples: kept, uncovered }
}
