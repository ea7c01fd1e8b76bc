import type { Column } from '../../Table.js'
import { inferTextKind } from '../inferTextKind.js'
import { datetimeParser, ISO_DATETIME_FORMAT } from '../parseDatetime.js'
import { parseNonFinite, parseNumber } from '../parseNumber.js'
import { FALSE_WORDS, TRUE_WORDS } from './booleanWords.js'
import { type ColumnPlan, type ConvertContext, dictionaryCode, dictionarySnapshot } from './ColumnPlan.js'
import { notFinite, typeMismatch } from './typeMismatch.js'

/**
 * Converts the first `n` text values of one chunk (`null` = missing) to a typed column following `plan`.
 * Throws `MG_DATA_TYPE_MISMATCH` / `MG_DATA_NOT_FINITE` with file, row and column.
 */
export function convertTextColumn(
  raw: readonly (string | null)[],
  n: number,
  plan: ColumnPlan,
  ctx: ConvertContext,
): Column {
  const name = plan.name
  if (plan.kind === 'unresolved') {
    let any = false
    for (let i = 0; i < n; i++) if (raw[i] !== null) any = true
    if (!any) return { kind: 'text', name, values: new Array<string | null>(n).fill(null) }
    const inferred = inferTextKind(n === raw.length ? raw : raw.slice(0, n), {
      name,
      ...(ctx.dayFirst === undefined ? {} : { dayFirst: ctx.dayFirst }),
    })
    plan.kind = inferred.kind
    plan.format = inferred.format ?? ''
  }
  // Each kind's loop marks its nulls itself (no shared per-value helper): these are the readers' hot loops.
  switch (plan.kind) {
    case 'integer':
    case 'numeric': {
      const values = new Float64Array(n)
      let valid: Uint8Array | null = null
      for (let i = 0; i < n; i++) {
        const s = raw[i] ?? null
        if (s === null) {
          valid ??= new Uint8Array(n).fill(1)
          valid[i] = 0
          continue
        }
        let v = parseNumber(s)
        if (Number.isNaN(v)) v = parseNumber(s.trim()) // quoted numbers may carry spaces
        if (Number.isNaN(v)) {
          const nf = parseNonFinite(s.trim())
          if (nf === undefined) throw typeMismatch(plan, ctx, i, s)
          if (!ctx.allowNonFinite) throw notFinite(plan, ctx, i, s)
          v = nf
        } else if (!Number.isFinite(v) && !ctx.allowNonFinite) throw notFinite(plan, ctx, i, s)
        if (plan.kind === 'integer' && !Number.isInteger(v) && Number.isFinite(v)) {
          if (ctx.widen && !plan.fromSchema) plan.kind = 'numeric'
          else throw typeMismatch(plan, ctx, i, s)
        }
        values[i] = v
      }
      return { kind: plan.kind, name, values, valid }
    }
    case 'boolean': {
      const values = new Uint8Array(n)
      let valid: Uint8Array | null = null
      for (let i = 0; i < n; i++) {
        const s = raw[i] ?? null
        if (s === null) {
          valid ??= new Uint8Array(n).fill(1)
          valid[i] = 0
          continue
        }
        const t = s.trim()
        const l = t.length <= 5 ? t.toLowerCase() : ''
        if (TRUE_WORDS.has(l)) values[i] = 1
        else if (!FALSE_WORDS.has(l)) throw typeMismatch(plan, ctx, i, s)
      }
      return { kind: 'boolean', name, values, valid }
    }
    case 'datetime': {
      const values = new Float64Array(n)
      let valid: Uint8Array | null = null
      const format = plan.format || ISO_DATETIME_FORMAT
      // ISO 8601 patterns read every ISO form through the hand-written parser; others through their compiled pattern.
      const parse = datetimeParser(format)
      for (let i = 0; i < n; i++) {
        const s = raw[i] ?? null
        if (s === null) {
          valid ??= new Uint8Array(n).fill(1)
          valid[i] = 0
          continue
        }
        let ms = parse(s)
        if (Number.isNaN(ms)) ms = parse(s.trim()) // quoted values may carry spaces
        if (Number.isNaN(ms)) throw typeMismatch(plan, ctx, i, s)
        values[i] = ms
      }
      return { kind: 'datetime', name, values, valid, format }
    }
    case 'categorical': {
      const codes = new Int32Array(n)
      for (let i = 0; i < n; i++) {
        const s = raw[i] ?? null
        codes[i] = s === null ? -1 : dictionaryCode(plan, s)
      }
      return { kind: 'categorical', name, codes, dictionary: dictionarySnapshot(plan) }
    }
    default: {
      const values = n === raw.length ? (raw as (string | null)[]) : raw.slice(0, n)
      return { kind: plan.kind, name, values }
    }
  }
}
