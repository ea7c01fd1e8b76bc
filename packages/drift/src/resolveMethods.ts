import type { Baseline, ColumnBaseline } from './baseline.js'
import { DriftError } from './errors.js'

/** The drift methods, by canonical name. */
export const DRIFT_METHODS = [
  'ks',
  'wasserstein',
  'psi',
  'jensenshannon',
  'hellinger',
  'tvd',
  'chisquare',
  'z',
] as const
export type DriftMethod = (typeof DRIFT_METHODS)[number]

/** Evidently's stattest names (and common spellings) → ours. */
const ALIASES: Readonly<Record<string, DriftMethod>> = {
  ks: 'ks',
  'kolmogorov-smirnov': 'ks',
  wasserstein: 'wasserstein',
  wasserstein_distance: 'wasserstein',
  wasserstein_distance_norm: 'wasserstein',
  psi: 'psi',
  jensenshannon: 'jensenshannon',
  js: 'jensenshannon',
  'jensen-shannon': 'jensenshannon',
  hellinger: 'hellinger',
  tvd: 'tvd',
  'total-variation': 'tvd',
  chisquare: 'chisquare',
  'chi-square': 'chisquare',
  chisq: 'chisquare',
  z: 'z',
  ztest: 'z',
  'proportions-z': 'z',
}

const P_VALUE_METHODS: ReadonlySet<DriftMethod> = new Set(['ks', 'chisquare', 'z'])
const DEFAULT_THRESHOLD: Readonly<Record<DriftMethod, number>> = {
  ks: 0.05,
  chisquare: 0.05,
  z: 0.05,
  wasserstein: 0.1,
  psi: 0.1,
  jensenshannon: 0.1,
  hellinger: 0.1,
  tvd: 0.1,
}

export interface MethodChoice {
  readonly method: DriftMethod
  /** p-value methods: drifted when p < threshold (after correction); distances: when statistic ≥ threshold. */
  readonly threshold: number
  readonly pValue: boolean
  /** `auto` when chosen by Evidently's rules, else the spec that chose it. */
  readonly source: string
}

/** What a column is for method choice: `numeric`, `categorical` or `binary` (2 categories, nothing folded). */
export type MethodKind = 'numeric' | 'categorical' | 'binary'

/** The Evidently row limit: a reference of at most this many rows gets the p-value tests. */
export const SMALL_REFERENCE_ROWS = 1000

function methodKind(column: ColumnBaseline): MethodKind | undefined {
  if (column.kind === 'numeric') return 'numeric'
  if (column.kind === 'categorical')
    return column.categories.length === 2 && column.other === 0 ? 'binary' : 'categorical'
  return undefined
}

function fits(method: DriftMethod, kind: MethodKind): boolean {
  if (method === 'ks' || method === 'wasserstein') return kind === 'numeric'
  if (method === 'z') return kind === 'binary'
  return true
}

/**
 * The method of every testable baseline column: `specs` (`column=name[:threshold]` or `kind=name[:threshold]`, kind
 * one of numeric, categorical, binary, prediction, all; Evidently's names accepted) over Evidently's automatic choice
 * (reference ≤ 1,000 rows: KS / chi-square / z-test at 0.05; larger: Wasserstein / Jensen–Shannon at 0.1). A column
 * name wins over its kind. Unknown methods, columns or kinds, a method that does not fit a column, and a bad threshold
 * are refused with MG_DRIFT_BAD_OPTION.
 */
export function resolveMethods(baseline: Baseline, specs: readonly string[] = []): Map<string, MethodChoice> {
  const small = baseline.source.rows <= SMALL_REFERENCE_ROWS
  const names = new Set(baseline.columns.map((c) => c.name))
  const byColumn = new Map<string, MethodChoice>()
  const byKind = new Map<string, MethodChoice>()
  for (const spec of specs) {
    const match = /^([^=]+)=([A-Za-z_-]+)(?::(.+))?$/.exec(spec.trim())
    if (match === null) {
      throw new DriftError(
        'MG_DRIFT_BAD_OPTION',
        `method "${spec}": expected <column or kind>=<method>[:<threshold>], e.g. amount=psi:0.2 or numeric=ks:0.05.`,
      )
    }
    const [, target = '', rawName = '', rawThreshold] = match
    const method = ALIASES[rawName] ?? ALIASES[rawName.toLowerCase()]
    if (method === undefined) {
      throw new DriftError(
        'MG_DRIFT_BAD_OPTION',
        `method "${spec}": unknown method "${rawName}"; expected one of ${DRIFT_METHODS.join(', ')} (or Evidently's names: ${Object.keys(
          ALIASES,
        )
          .filter((a) => !(DRIFT_METHODS as readonly string[]).includes(a))
          .join(', ')}).`,
      )
    }
    const threshold = rawThreshold === undefined ? DEFAULT_THRESHOLD[method] : Number(rawThreshold)
    const pValue = P_VALUE_METHODS.has(method)
    if (!(Number.isFinite(threshold) && threshold > 0 && (!pValue || threshold < 1))) {
      throw new DriftError(
        'MG_DRIFT_BAD_OPTION',
        `method "${spec}": the threshold must be ${pValue ? 'a p-value in (0, 1)' : 'a positive number'}, got "${rawThreshold}".`,
      )
    }
    const choice: MethodChoice = { method, threshold, pValue, source: spec }
    if (['numeric', 'categorical', 'binary', 'prediction', 'all'].includes(target)) byKind.set(target, choice)
    else if (names.has(target)) byColumn.set(target, choice)
    else {
      throw new DriftError(
        'MG_DRIFT_BAD_OPTION',
        `method "${spec}": no column "${target}" in the baseline, and not a kind (numeric, categorical, binary, prediction, all).`,
      )
    }
  }
  const out = new Map<string, MethodChoice>()
  for (const column of baseline.columns) {
    const kind = methodKind(column)
    if (kind === undefined) continue
    const isPrediction = baseline.prediction?.column === column.name
    const explicit =
      byColumn.get(column.name) ??
      (isPrediction ? byKind.get('prediction') : undefined) ??
      byKind.get(kind) ??
      (kind === 'binary' ? byKind.get('categorical') : undefined) ??
      byKind.get('all')
    if (explicit !== undefined && fits(explicit.method, kind)) {
      out.set(column.name, explicit)
      continue
    }
    if (explicit !== undefined && byColumn.has(column.name)) {
      throw new DriftError(
        'MG_DRIFT_BAD_OPTION',
        `method "${explicit.source}": ${explicit.method} does not fit column "${column.name}" (${kind}).`,
      )
    }
    const method: DriftMethod =
      kind === 'numeric'
        ? small
          ? 'ks'
          : 'wasserstein'
        : small
          ? kind === 'binary'
            ? 'z'
            : 'chisquare'
          : 'jensenshannon'
    out.set(column.name, {
      method,
      threshold: DEFAULT_THRESHOLD[method],
      pValue: P_VALUE_METHODS.has(method),
      source: 'auto',
    })
  }
  return out
}
