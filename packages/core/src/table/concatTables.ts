import { ModelGateError } from '../errors.js'
import type { GrowingDictionary } from '../io/internal/ColumnPlan.js'
import { dictionaryCode } from '../io/internal/ColumnPlan.js'
import type { Column, ColumnKind, Table } from '../Table.js'
import { columnLength, isMaskedColumn } from './internal/columnLength.js'
import { isNullAt, valueAt } from './valueAt.js'

/**
 * Appends tables with the same column names (matched by name, in the first table's order).
 * Categorical dictionaries are merged (codes remapped, first-seen order). Kinds widen where that is lossless:
 * integer + numeric → numeric, categorical + text → text, and a column that is entirely null in one table takes
 * the kind of the others. Any other kind mismatch throws `MG_TABLE_KIND_MISMATCH`.
 */
export function concatTables(tables: readonly Table[]): Table {
  const first = tables[0]
  if (first === undefined) return { numRows: 0, columns: [] }
  if (tables.length === 1) return first
  const names = first.columns.map((c) => c.name)
  const known = new Set(names)
  for (const t of tables) {
    const other = t.columns.map((c) => c.name)
    if (other.length !== names.length || other.some((n) => !known.has(n))) {
      throw new ModelGateError(
        'MG_TABLE_COLUMNS_MISMATCH',
        `Cannot concatenate tables with different columns: [${names.join(', ')}] vs [${other.join(', ')}].`,
      )
    }
  }
  const numRows = tables.reduce((s, t) => s + t.numRows, 0)
  // By name through one map per table (a lookup by scanning is quadratic in the columns: minutes at 100k columns).
  const byName = tables.map((t) => new Map(t.columns.map((c) => [c.name, c])))
  const columns = names.map((name) => {
    const parts = byName.map((m) => m.get(name) as Column)
    return concatColumns(name, parts, numRows)
  })
  return { numRows, columns }
}

function isAllNull(column: Column): boolean {
  const n = columnLength(column)
  for (let i = 0; i < n; i++) if (!isNullAt(column, i)) return false
  return true
}

function targetKind(name: string, parts: readonly Column[]): { kind: ColumnKind; format: string } {
  const informative = parts.filter((p) => !isAllNull(p))
  const kinds = new Set((informative.length > 0 ? informative : parts).map((p) => p.kind))
  const dt = (informative.length > 0 ? informative : parts).find((p) => p.kind === 'datetime')
  const format = dt?.kind === 'datetime' ? dt.format : 'iso'
  if (kinds.size === 1) return { kind: [...kinds][0] as ColumnKind, format }
  if ([...kinds].every((k) => k === 'integer' || k === 'numeric')) return { kind: 'numeric', format }
  if ([...kinds].every((k) => k === 'categorical' || k === 'text')) return { kind: 'text', format }
  if ([...kinds].every((k) => k === 'id' || k === 'text')) return { kind: 'text', format }
  throw new ModelGateError(
    'MG_TABLE_KIND_MISMATCH',
    `Column "${name}" is ${[...kinds].join(' in one part and ')} in another; cannot concatenate.`,
    { location: { column: name }, hint: 'Pass a schema so every part is read with the same column kinds.' },
  )
}

function concatColumns(name: string, parts: readonly Column[], numRows: number): Column {
  const { kind, format } = targetKind(name, parts)
  switch (kind) {
    case 'categorical': {
      const labels: GrowingDictionary = { dictionary: [], index: new Map() }
      const codes = new Int32Array(numRows)
      let offset = 0
      // chunks of one stream share dictionary snapshots that only grow: cache the remap per dictionary array and
      // copy codes directly when the remap is the identity
      let lastDictionary: readonly string[] | null = null
      let remap: Int32Array = new Int32Array(0)
      let identity = true
      for (const p of parts) {
        const n = columnLength(p)
        if (p.kind === 'categorical') {
          if (p.dictionary !== lastDictionary) {
            lastDictionary = p.dictionary
            remap = new Int32Array(p.dictionary.length)
            identity = true
            for (let k = 0; k < p.dictionary.length; k++) {
              const code = dictionaryCode(labels, p.dictionary[k] as string)
              remap[k] = code
              if (code !== k) identity = false
            }
          }
          if (identity) codes.set(p.codes, offset)
          else
            for (let i = 0; i < n; i++) {
              const c = p.codes[i] as number
              codes[offset + i] = c < 0 ? -1 : (remap[c] as number)
            }
        } else codes.fill(-1, offset, offset + n)
        offset += n
      }
      return { kind, name, codes, dictionary: labels.dictionary }
    }
    case 'text':
    case 'id': {
      const values: (string | null)[] = new Array(numRows)
      let offset = 0
      for (const p of parts) {
        const n = columnLength(p)
        if (p.kind === 'text' || p.kind === 'id') for (let i = 0; i < n; i++) values[offset + i] = p.values[i] ?? null
        else
          for (let i = 0; i < n; i++) {
            const v = valueAt(p, i)
            values[offset + i] = v === null ? null : v instanceof Date ? v.toISOString() : String(v)
          }
        offset += n
      }
      return { kind, name, values }
    }
    default: {
      const values = kind === 'boolean' ? new Uint8Array(numRows) : new Float64Array(numRows)
      const valid = new Uint8Array(numRows)
      let anyNull = false
      let offset = 0
      for (const p of parts) {
        const n = columnLength(p)
        if (!isMaskedColumn(p)) {
          anyNull ||= n > 0 // all null by construction of targetKind
        } else {
          values.set(p.values, offset)
          if (p.valid === null) valid.fill(1, offset, offset + n)
          else {
            valid.set(p.valid, offset)
            anyNull = true
          }
        }
        offset += n
      }
      const v = anyNull && valid.includes(0) ? valid : null
      if (kind === 'boolean') return { kind, name, values: values as Uint8Array, valid: v }
      if (kind === 'datetime') return { kind, name, values: values as Float64Array, valid: v, format }
      return { kind: kind as 'numeric' | 'integer', name, values: values as Float64Array, valid: v }
    }
  }
}
