import { SkewError } from '../errors.js'
import type { InputRow } from '../types.js'

/**
 * Compiles a request body template: `{{column}}` becomes the JSON value of that input column and
 * `{{row}}` the whole row as a JSON object, e.g. `{"instances": [{"amount": {{amount}}, "user": {{user_id}}}]}`.
 */
export function compileBodyTemplate(template: string, columns: readonly string[]): (row: InputRow) => string {
  const parts: (string | { readonly column: string })[] = []
  const re = /\{\{\s*([^{}]+?)\s*\}\}/g
  let last = 0
  for (let m = re.exec(template); m !== null; m = re.exec(template)) {
    parts.push(template.slice(last, m.index))
    const column = m[1] as string
    if (column !== 'row' && !columns.includes(column)) {
      throw new SkewError(
        'MG_SKEW_TEMPLATE_COLUMN',
        `The body template refers to {{${column}}}, but the input has no column "${column}". Input columns: ${columns.join(', ')}.`,
        { hint: 'Use {{column}} for one input column or {{row}} for the whole row as JSON.' },
      )
    }
    parts.push({ column })
    last = m.index + m[0].length
  }
  parts.push(template.slice(last))
  return (row) => {
    let out = ''
    for (const p of parts) {
      if (typeof p === 'string') out += p
      else out += JSON.stringify(p.column === 'row' ? row : (row[p.column] ?? null))
    }
    return out
  }
}

/** Follows a dot path (`data.features`, `predictions.0`) into a parsed JSON value. */
export function followPath(value: unknown, path: string | undefined): unknown {
  if (path === undefined || path === '' || path === '.') return value
  let current = value
  for (const step of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined
    current = Array.isArray(current) ? current[Number(step)] : (current as Record<string, unknown>)[step]
  }
  return current
}
