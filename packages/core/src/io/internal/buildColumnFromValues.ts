import type { Column, ColumnKind } from '../../Table.js'
import {
  epochFormatOfRange,
  type InferredKind,
  inferTextKind,
  isLowCardinality,
  isTimeLikeName,
} from '../inferTextKind.js'
import { datetimeParser, ISO_DATETIME_FORMAT } from '../parseDatetime.js'
import { parseNonFinite, parseNumber } from '../parseNumber.js'
import { FALSE_WORDS, TRUE_WORDS } from './booleanWords.js'
import {
  type ColumnPlan,
  type ConvertContext,
  createColumnPlan,
  dictionaryCode,
  dictionarySnapshot,
} from './ColumnPlan.js'
import { notFinite, typeMismatch } from './typeMismatch.js'

/** Text form of a JS value (`null` for null/undefined). */
function valueToText(v: unknown): string | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'bigint') return String(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString()
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64')
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x))
}

/** What the readers know of a column beyond its values: its name (epoch times) and the date order asked for. */
export interface ValuesHints {
  readonly name?: string | undefined
  readonly dayFirst?: boolean | undefined
}

/**
 * Kind of a column of JS values: numbers → integer/numeric (datetime `t`/`T` when the name says time and the range
 * is epoch seconds/ms), booleans → boolean, Dates → datetime (ISO 8601), strings → datetime/categorical/text
 * (`numbersFromText` also allows integer/numeric/boolean), mixed → text. All null → `unresolved`.
 */
export function inferValuesKind(
  values: ArrayLike<unknown>,
  numbersFromText: boolean,
  hints: ValuesHints = {},
): { kind: ColumnKind | 'unresolved'; format?: string; dateOrder?: InferredKind['dateOrder'] } {
  let types = 0 // bit flags: 1 number, 2 boolean, 4 date, 8 string, 16 other
  let allInteger = true
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  const strings: (string | null)[] = []
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (v === null || v === undefined) continue
    switch (typeof v) {
      case 'number':
        types |= 1
        if (Number.isFinite(v) && !Number.isInteger(v)) allInteger = false
        if (v < min) min = v
        if (v > max) max = v
        break
      case 'bigint':
        types |= 1
        break
      case 'boolean':
        types |= 2
        break
      case 'string':
        types |= 8
        strings.push(v)
        break
      default:
        types |= v instanceof Date ? 4 : 16
    }
  }
  if (types === 0) return { kind: 'unresolved' }
  if (types === 1) {
    const timeName = hints.name !== undefined && isTimeLikeName(hints.name)
    const epoch = !allInteger
      ? undefined
      : timeName
        ? epochFormatOfRange(min, max)
        : min >= 1e12 && max < 2_524_608_000_000
          ? 'T'
          : undefined
    if (epoch !== undefined) return { kind: 'datetime', format: epoch }
    return { kind: allInteger ? 'integer' : 'numeric' }
  }
  if (types === 2) return { kind: 'boolean' }
  if (types === 4) return { kind: 'datetime', format: ISO_DATETIME_FORMAT }
  if (types === 8) {
    return inferTextKind(strings, {
      numbers: numbersFromText,
      ...(hints.name === undefined ? {} : { name: hints.name }),
      ...(hints.dayFirst === undefined ? {} : { dayFirst: hints.dayFirst }),
    })
  }
  return { kind: 'text' }
}

/**
 * The kind of a column a file stores as strings (Parquet, Arrow), from its values: a datetime when they read as one,
 * else categorical when few distinct values repeat enough, else text; all null → `unresolved` in readTable mode
 * (`widen`), else text.
 */
export function stringColumnKind(
  values: ArrayLike<unknown>,
  widen: boolean,
  hints: ValuesHints,
): { kind: ColumnKind | 'unresolved'; format?: string } {
  const inferred = inferValuesKind(values, false, hints)
  if (inferred.kind === 'unresolved') return { kind: widen ? 'unresolved' : 'text' }
  if (inferred.kind === 'datetime') return inferred
  const distinct = new Set<unknown>()
  let nonNull = 0
  for (let r = 0; r < values.length; r++) {
    const v = values[r]
    if (v === null || v === undefined) continue
    nonNull++
    if (distinct.size <= 1000) distinct.add(v)
  }
  return { kind: isLowCardinality(distinct.size, nonNull) ? 'categorical' : 'text' }
}

function toNumber(v: unknown, plan: ColumnPlan, ctx: ConvertContext, i: number): number {
  let x: number
  if (typeof v === 'number') x = v
  else if (typeof v === 'bigint') x = Number(v)
  else if (typeof v === 'boolean') x = v ? 1 : 0
  else if (typeof v === 'string') {
    x = parseNumber(v)
    if (Number.isNaN(x)) {
      const nf = parseNonFinite(v)
      if (nf === undefined) throw typeMismatch(plan, ctx, i, v)
      x = nf
    }
  } else throw typeMismatch(plan, ctx, i, v instanceof Date ? v.toISOString() : v)
  if (!Number.isFinite(x) && !ctx.allowNonFinite) throw notFinite(plan, ctx, i, String(v))
  return x
}

/**
 * Converts JS values (numbers, bigints, booleans, strings, Dates; null/undefined = null) to a column following `plan`.
 * Strings are parsed for numeric/boolean/datetime kinds; anything else is stored as text.
 * Throws `MG_DATA_TYPE_MISMATCH` / `MG_DATA_NOT_FINITE` naming file, row and column.
 */
export function buildColumnFromValues(values: ArrayLike<unknown>, plan: ColumnPlan, ctx: ConvertContext): Column {
  const n = values.length
  const name = plan.name
  if (plan.kind === 'unresolved') {
    const inferred = inferValuesKind(values, false, { name, dayFirst: ctx.dayFirst })
    if (inferred.kind === 'unresolved') return { kind: 'text', name, values: new Array<string | null>(n).fill(null) }
    plan.kind = inferred.kind
    plan.format = inferred.format ?? ''
  }
  // Each kind's loop marks its nulls itself (no shared per-value helper): these are the readers' hot loops.
  switch (plan.kind) {
    case 'integer':
    case 'numeric': {
      if (
        values instanceof Float64Array ||
        values instanceof Int32Array ||
        values instanceof Float32Array ||
        values instanceof Uint8Array ||
        values instanceof Uint32Array
      ) {
        const out = Float64Array.from(values as ArrayLike<number>)
        if (!ctx.allowNonFinite)
          for (let i = 0; i < n; i++)
            if (!Number.isFinite(out[i] as number)) throw notFinite(plan, ctx, i, String(out[i]))
        if (plan.kind === 'integer') for (let i = 0; i < n; i++) if (!Number.isInteger(out[i])) plan.kind = 'numeric'
        return { kind: plan.kind, name, values: out, valid: null }
      }
      const out = new Float64Array(n)
      let valid: Uint8Array | null = null
      for (let i = 0; i < n; i++) {
        const v = values[i]
        if (v === null || v === undefined) {
          valid ??= new Uint8Array(n).fill(1)
          valid[i] = 0
          continue
        }
        const x = typeof v === 'number' && Number.isFinite(v) ? v : toNumber(v, plan, ctx, i)
        if (plan.kind === 'integer' && Number.isFinite(x) && !Number.isInteger(x)) {
          if (ctx.widen && !plan.fromSchema) plan.kind = 'numeric'
          else throw typeMismatch(plan, ctx, i, v)
        }
        out[i] = x
      }
      return { kind: plan.kind, name, values: out, valid }
    }
    case 'boolean': {
      const out = new Uint8Array(n)
      let valid: Uint8Array | null = null
      for (let i = 0; i < n; i++) {
        const v = values[i]
        if (v === null || v === undefined) {
          valid ??= new Uint8Array(n).fill(1)
          valid[i] = 0
        } else if (v === true || v === 1 || v === 1n) out[i] = 1
        else if (v === false || v === 0 || v === 0n) out[i] = 0
        else if (typeof v === 'string' && TRUE_WORDS.has(v.toLowerCase())) out[i] = 1
        else if (!(typeof v === 'string' && FALSE_WORDS.has(v.toLowerCase()))) throw typeMismatch(plan, ctx, i, v)
      }
      return { kind: 'boolean', name, values: out, valid }
    }
    case 'datetime': {
      const out = new Float64Array(n)
      let valid: Uint8Array | null = null
      const format = plan.format || ISO_DATETIME_FORMAT
      // Numbers are epoch ms (native timestamps), or epoch seconds for a column written in seconds (`t`).
      const unit = format === 't' ? 1000 : 1
      const parse = datetimeParser(format)
      for (let i = 0; i < n; i++) {
        const v = values[i]
        if (v === null || v === undefined) {
          valid ??= new Uint8Array(n).fill(1)
          valid[i] = 0
          continue
        }
        let ms: number
        if (v instanceof Date) ms = v.getTime()
        else if (typeof v === 'number') ms = v * unit
        else if (typeof v === 'bigint') ms = Number(v) * unit
        else if (typeof v === 'string') {
          ms = parse(v)
          if (Number.isNaN(ms)) throw typeMismatch(plan, ctx, i, v)
        } else throw typeMismatch(plan, ctx, i, v)
        if (!Number.isFinite(ms)) throw typeMismatch(plan, ctx, i, String(v))
        out[i] = ms
      }
      return { kind: 'datetime', name, values: out, valid, format }
    }
    case 'categorical': {
      const codes = new Int32Array(n)
      for (let i = 0; i < n; i++) {
        const v = values[i]
        codes[i] =
          v === null || v === undefined
            ? -1
            : dictionaryCode(plan, typeof v === 'string' ? v : (valueToText(v) as string))
      }
      return { kind: 'categorical', name, codes, dictionary: dictionarySnapshot(plan) }
    }
    default: {
      const out: (string | null)[] = new Array(n)
      for (let i = 0; i < n; i++) {
        const v = values[i]
        out[i] = typeof v === 'string' ? v : valueToText(v)
      }
      return { kind: plan.kind, name, values: out }
    }
  }
}

export { createColumnPlan }
