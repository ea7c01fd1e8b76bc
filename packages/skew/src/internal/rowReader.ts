import type { Column, Table } from '@modelgate/core'
import type { FeatureValue, InputRow, PathContext } from '../types.js'

type Getter = (i: number) => FeatureValue

function getterFor(column: Column): Getter {
  switch (column.kind) {
    case 'categorical': {
      const { codes, dictionary } = column
      return (i) => {
        const c = codes[i] ?? -1
        return c < 0 ? null : (dictionary[c] ?? null)
      }
    }
    case 'text':
    case 'id': {
      const { values } = column
      return (i) => values[i] ?? null
    }
    case 'boolean': {
      const { values, valid } = column
      return (i) => (valid !== null && valid[i] === 0 ? null : values[i] === 1)
    }
    case 'datetime': {
      const { values, valid } = column
      return (i) => (valid !== null && valid[i] === 0 ? null : new Date(values[i] as number).toISOString())
    }
    default: {
      const { values, valid } = column
      return (i) => (valid !== null && valid[i] === 0 ? null : (values[i] as number))
    }
  }
}

/**
 * Reads rows of a table as plain JSON-ready objects (datetimes as ISO 8601 strings), for online calls
 * and for the input rows shown beside disagreements. Getters are built once per column.
 */
export function createRowReader(
  table: Table,
  options: {
    readonly columns?: readonly string[]
    readonly redact?: readonly string[]
    readonly rareBelow?: number
  } = {},
): (i: number) => InputRow {
  const wanted = options.columns === undefined ? null : new Set(options.columns)
  const redact = new Set(options.redact ?? [])
  const getters: [string, Getter][] = []
  for (const column of table.columns) {
    if (wanted !== null && !wanted.has(column.name)) continue
    let get = redact.has(column.name) ? () => '[redacted]' : getterFor(column)
    if (column.kind === 'categorical' && options.rareBelow !== undefined && options.rareBelow > 1)
      get = maskRare(column.codes, column.dictionary.length, options.rareBelow, get)
    getters.push([column.name, get])
  }
  return (i) => {
    const row: Record<string, FeatureValue> = {}
    for (const [name, get] of getters) row[name] = get(i)
    return row
  }
}

/** Categories seen fewer than `k` times read as `(rare)`, so that no rare value reaches a report. */
function maskRare(codes: Int32Array, size: number, k: number, get: Getter): Getter {
  const counts = new Int32Array(size)
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] as number
    if (c >= 0) counts[c] = (counts[c] as number) + 1
  }
  return (i) => {
    const c = codes[i] ?? -1
    return c >= 0 && (counts[c] as number) < k ? '(rare)' : get(i)
  }
}

/** Getter for one column's values as JSON-ready values. */
export function valueGetter(column: Column): Getter {
  return getterFor(column)
}

/** The columns an online call sends: every input column, minus a key that checkSkew generated. */
export function bodyColumns(table: Table, context: PathContext): { readonly columns?: readonly string[] } {
  if (context.keyIsGenerated !== true) return {}
  return { columns: table.columns.map((c) => c.name).filter((name) => name !== context.key) }
}
