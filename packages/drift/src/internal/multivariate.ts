import type { Table } from '@modelgate/core'
import type { MultivariateBaseline } from '../baseline.js'
import { fitPca, reconstructionError } from './pca.js'

const MAX_ROWS = 100_000

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

/**
 * Fits the PCA model on a table's numeric columns and measures the reference's reconstruction error out of sample:
 * the model is fitted on the even rows and the error measured on the odd ones (an error measured on the rows the
 * model was fitted to is biased low, which on a 10k-row reference alone raised false alarms to one split in four).
 * Above 200k rows both halves are evenly strided subsamples of 100k rows.
 */
export function fitMultivariate(table: Table, names: readonly string[]): MultivariateBaseline {
  const { values, valid } = columnArrays({ columns: [...names] }, table)
  // at most 2 × 100k rows: the model and the error's mean are as good, at a fraction of the cost on 1M rows
  const stride = 2 * Math.max(1, Math.ceil(table.numRows / (2 * MAX_ROWS)))
  const half = (offset: number) => {
    const n = Math.floor((table.numRows - offset + stride - 1) / stride)
    const pick = <T extends Float64Array | Uint8Array>(a: T | null): T | null => {
      if (a === null) return null
      const out = new (a.constructor as new (n: number) => T)(n)
      for (let i = 0; i < n; i++) out[i] = a[stride * i + offset] as number
      return out
    }
    return { values: values.map((v) => pick(v)), valid: valid.map((v) => pick(v)), n }
  }
  const fitRows = table.numRows >= 4 ? half(0) : { values, valid, n: table.numRows }
  const model = fitPca(fitRows.values as Float64Array[], fitRows.valid, names)
  const sums = emptyErrorSums(names.length)
  const partial = { ...model, rows: 0, errorMean: 0, errorVariance: 0, residuals: [] as number[] }
  const test = table.numRows >= 4 ? half(1) : { values, valid, n: table.numRows }
  addArrayErrors(partial, test.values, test.valid, test.n, sums)
  const mean = sums.count === 0 ? 0 : sums.sum / sums.count
  return {
    ...partial,
    rows: sums.count,
    errorMean: mean,
    errorVariance: sums.count < 2 ? 0 : Math.max(0, (sums.sumSq - sums.count * mean * mean) / (sums.count - 1)),
    residuals: Array.from(sums.residuals, (r) => (sums.count === 0 ? 0 : r / sums.count)),
  }
}

/**
 * Adds the reconstruction errors of a table's rows (nulls, missing columns and non-finite values imputed): every row
 * of a chunk up to 100k rows, an evenly strided 100k of a larger one (the mean error of 100k rows is known to a
 * fraction of its spread; the sums stay mergeable, with `count` the rows they hold).
 */
export function addTableErrors(model: MultivariateBaseline, table: Table, sums: ErrorSums): void {
  const { values, valid } = columnArrays(model, table)
  const stride = Math.max(1, Math.ceil(table.numRows / MAX_ROWS))
  if (stride === 1) {
    addArrayErrors(model, values, valid, table.numRows, sums)
    return
  }
  const n = Math.ceil(table.numRows / stride)
  const pick = <T extends Float64Array | Uint8Array>(a: T | null): T | null => {
    if (a === null) return null
    const out = new (a.constructor as new (n: number) => T)(n)
    for (let i = 0; i < n; i++) out[i] = a[i * stride] as number
    return out
  }
  addArrayErrors(
    model,
    values.map((v) => pick(v)),
    valid.map((v) => pick(v)),
    n,
    sums,
  )
}

function addArrayErrors(
  model: MultivariateBaseline,
  values: readonly (Float64Array | null)[],
  valid: readonly (Uint8Array | null)[],
  rows: number,
  sums: ErrorSums,
): void {
  const p = model.columns.length
  const z = new Float64Array(p)
  const scratch = new Float64Array(model.components.length)
  for (let i = 0; i < rows; i++) {
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

/** Adds the reconstruction errors of `rows` rows given column by column (NaN or a missing column is imputed). */
export function addColumnErrors(
  model: MultivariateBaseline,
  column: (name: string) => Float64Array | null,
  rows: number,
  sums: ErrorSums,
): void {
  const values = model.columns.map((name) => column(name))
  addArrayErrors(
    model,
    values,
    values.map(() => null),
    rows,
    sums,
  )
}
