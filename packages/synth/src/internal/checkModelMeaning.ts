import type { ContinuousPart, NumericColumnModel, SynthModelFile } from '../modelFile.js'

/** Largest magnitude of a number in a model file: spans and interpolations of such numbers stay finite. */
const MAX_MODEL_MAGNITUDE = 1e300
/** Most dense copula dimensions (a value and a null part per column): bounds the correlation matrix and its Cholesky. */
const MAX_COPULA_DIMS = 4096
/** Most factor copula dimensions: training refuses more than 10,000 columns (MG_SYNTH_TOO_MANY_COLUMNS). */
const MAX_FACTOR_COPULA_DIMS = 20_000
/** Most columns in a model file. */
const MAX_MODEL_COLUMNS = 100_000
/** Range of beta and gamma shape parameters a sampler can invert in bounded time. */
const SHAPE_RANGE = [1e-6, 1e9] as const

/**
 * What a valid model file means beyond its shape (issue #12: a tampered file hung, aborted V8 or wrote `Infinity`):
 * unique column names; numbers of modest magnitude; min ≤ max; each continuous part's bounds ordered and its shape
 * parameters in range; empirical quantiles and spikes in ascending order; copula dimensions unique, naming known
 * columns, at most MAX_COPULA_DIMS, with a symmetric unit-diagonal correlation matrix of entries in [−1, 1].
 * Returns the first problem as a phrase, or undefined.
 */
export function checkModelMeaning(file: SynthModelFile): string | undefined {
  if (file.columns.length > MAX_MODEL_COLUMNS)
    return `it has ${file.columns.length} columns (at most ${MAX_MODEL_COLUMNS})`
  const names = new Set<string>()
  for (const column of file.columns) {
    if (names.has(column.name)) return `column "${column.name}" appears twice`
    names.add(column.name)
    if (column.kind === 'numeric' || column.kind === 'integer' || column.kind === 'datetime') {
      const problem = checkNumeric(column)
      if (problem !== undefined) return `column "${column.name}" ${problem}`
    }
  }
  const copula = file.copula
  if (copula !== undefined) {
    const d = copula.dims.length
    const factor = 'loadings' in copula
    const most = factor ? MAX_FACTOR_COPULA_DIMS : MAX_COPULA_DIMS
    if (d > most) return `the copula has ${d} dimensions (at most ${most})`
    const seen = new Set<string>()
    for (const dim of copula.dims) {
      const key = `${dim.part}\u0000${dim.column}`
      if (seen.has(key)) return `the copula names the ${dim.part} of column "${dim.column}" more than once`
      seen.add(key)
    }
    if ('loadings' in copula) {
      const k = copula.loadings[0]?.length ?? 0
      for (let i = 0; i < copula.loadings.length; i++) {
        const row = copula.loadings[i] as number[]
        if (row.length !== k) return `the factor loadings have rows of different lengths (row ${i + 1})`
        if (row.reduce((s, x) => s + x * x, 0) >= 1)
          return `the factor loadings of row ${i + 1} leave it no uniqueness (their sum of squares is ≥ 1)`
      }
      return undefined
    }
    const r = copula.correlation
    for (let i = 0; i < d; i++) {
      const row = r[i] as number[]
      if (row[i] !== 1) return `the correlation matrix has ${row[i]} on its diagonal (row ${i + 1}), not 1`
      for (let j = 0; j < i; j++) {
        const v = row[j] as number
        if (!(v >= -1 && v <= 1)) return `the correlation matrix holds ${v} (row ${i + 1}), outside [−1, 1]`
        if (Math.abs(v - ((r[j] as number[])[i] as number)) > 1e-9) return 'the correlation matrix is not symmetric'
      }
    }
  }
  return undefined
}

function checkNumeric(column: NumericColumnModel): string | undefined {
  const big = (x: number | null): boolean => x !== null && Math.abs(x) > MAX_MODEL_MAGNITUDE
  if (big(column.min) || big(column.max)) return `has bounds too large (beyond ±${MAX_MODEL_MAGNITUDE})`
  if (column.min !== null && column.max !== null && column.min > column.max)
    return `has a min (${column.min}) greater than its max (${column.max})`
  let previous = Number.NEGATIVE_INFINITY
  for (const spike of column.spikes) {
    if (big(spike.value)) return `has a point mass too large (beyond ±${MAX_MODEL_MAGNITUDE})`
    if (spike.value < previous) return 'has point masses out of ascending order'
    previous = spike.value
  }
  return column.continuous === null ? undefined : checkContinuous(column.continuous)
}

function checkContinuous(part: ContinuousPart): string | undefined {
  const numbers = Object.entries(part).flatMap(([, v]) => (Array.isArray(v) ? v : typeof v === 'number' ? [v] : []))
  if (numbers.some((x) => Math.abs(x) > MAX_MODEL_MAGNITUDE))
    return `has a ${part.family} fit with numbers too large (beyond ±${MAX_MODEL_MAGNITUDE})`
  const inRange = (x: number): boolean => x >= SHAPE_RANGE[0] && x <= SHAPE_RANGE[1]
  switch (part.family) {
    case 'truncnorm':
    case 'uniform':
      return part.lo <= part.hi ? undefined : `has a ${part.family} fit with lo > hi`
    case 'beta':
      if (!(part.lo < part.hi)) return 'has a beta fit with lo ≥ hi'
      if (!inRange(part.alpha) || !inRange(part.beta))
        return `has a beta fit with alpha ${part.alpha}, beta ${part.beta} (each between ${SHAPE_RANGE[0]} and ${SHAPE_RANGE[1]})`
      return undefined
    case 'gamma':
      return inRange(part.shape)
        ? undefined
        : `has a gamma fit with shape ${part.shape} (between ${SHAPE_RANGE[0]} and ${SHAPE_RANGE[1]})`
    case 'empirical':
      for (let i = 1; i < part.quantiles.length; i++)
        if ((part.quantiles[i] as number) < (part.quantiles[i - 1] as number))
          return 'has empirical quantiles out of ascending order'
      return undefined
    default:
      return undefined
  }
}
