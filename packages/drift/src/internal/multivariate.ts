import type { Table } from '@modelgate/core'
import type { MultivariateBaseline } from '../baseline.js'
import { fitPca, reconstructionError } from './pca.js'

/** Running sum of reconstruction errors (mergeable: sums add). */
export interface ErrorSums {
  count: number
  sum: number
  sumSq: number
  /** Per model column, the sum of squared residuals. */
  residuals: Float64Array
}

export function emptyErrorSums(columns: number): ErrorSums {
  return { count: 0, sum: 0, sumSq: 0, residuals: new Float64Array(columns) }
}

/** The numeric arrays of the model's columns in a table (a missing or non-numeric column reads as all nulls). */
function columnArrays(
  model: Pick<MultivariateBaseline, 'columns'>,
  table: Table,
): { values: (Float64Array | null)[]; valid: (Uint8Array | null)[] } {
  const values: (Float64Array | null)[] = []
  const valid: (Uint8Array | null)[] = []
  for (const name of model.columns) {
    const column = table.columns.find((c) => c.name === name)
    if (column !== undefined && (column.kind === 'numeric' || column.kind === 'integer')) {
      values.push(column.values)
      valid.push(column.valid)
    } else {
      values.push(null)
      valid.push(null)
    }
  }
  return { values, valid }
}

/** Fits the PCA model on a table's numeric columns and measures the reference's reconstruction error. */
export function fitMultivariate(table: Table, names: readonly string[]): MultivariateBaseline {
  const { values, valid } = columnArrays({ columns: [...names] }, table)
  const model = fitPca(values as Float64Array[], valid, names)
  const sums = emptyErrorSums(names.length)
  const partial = { ...model, rows: 0, errorMean: 0, errorVariance: 0, residuals: [] as number[] }
  addTableErrors(partial, table, sums)
  const mean = sums.count === 0 ? 0 : sums.sum / sums.count
  return {
    ...partial,
    rows: sums.count,
    errorMean: mean,
    errorVariance: sums.count < 2 ? 0 : Math.max(0, (sums.sumSq - sums.count * mean * mean) / (sums.count - 1)),
    residuals: Array.from(sums.residuals, (r) => (sums.count === 0 ? 0 : r / sums.count)),
  }
}

/** Adds every row's reconstruction error of a table (nulls, missing columns and non-finite values imputed). */
export function addTableErrors(model: MultivariateBaseline, table: Table, sums: ErrorSums): void {
  const { values, valid } = columnArrays(model, table)
  const p = model.columns.length
  const z = new Float64Array(p)
  const scratch = new Float64Array(model.components.length)
  for (let i = 0; i < table.numRows; i++) {
    for (let j = 0; j < p; j++) {
      const x = values[j]
      const ok = valid[j]
      const v = x === null || x === undefined ? Number.NaN : (x[i] as number)
      z[j] =
        (ok !== null && ok !== undefined && ok[i] === 0) || !Number.isFinite(v)
          ? 0
          : (v - (model.means[j] as number)) / (model.scales[j] as number)
    }
    const e = reconstructionError(model, z, scratch, sums.residuals)
    sums.count++
    sums.sum += e
    sums.sumSq += e * e
  }
}

/** Adds one row object's reconstruction error. */
export function addRowError(
  model: MultivariateBaseline,
  row: Readonly<Record<string, unknown>>,
  sums: ErrorSums,
  z: Float64Array,
  scratch: Float64Array,
): void {
  for (let j = 0; j < model.columns.length; j++) {
    const raw = row[model.columns[j] as string]
    const v = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN
    z[j] = Number.isFinite(v) ? (v - (model.means[j] as number)) / (model.scales[j] as number) : 0
  }
  const e = reconstructionError(model, z, scratch, sums.residuals)
  sums.count++
  sums.sum += e
  sums.sumSq += e * e
}
