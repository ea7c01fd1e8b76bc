import { TrafficError } from './errors.js'

/** How a payload row becomes an HTTP request. */
export interface RequestTemplateSpec {
  /** Default POST with payloads, GET without. */
  readonly method?: string
  /** Path and query, e.g. `/v1/models/fraud:predict`; default the target URL's path. */
  readonly path?: string
  readonly headers?: Readonly<Record<string, string>>
  /**
   * The body's shape as JSON: the string `"{{row}}"` anywhere in it is replaced by the whole row, `"{{row.amount}}"`
   * by one field of it (its JSON value). Default: the row itself (`"{{row}}"`).
   */
  readonly body?: unknown
}

export interface PreparedRequest {
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | undefined
}

export type RequestTemplate = (row: Readonly<Record<string, unknown>> | undefined) => PreparedRequest

const PLACEHOLDER = /^\{\{\s*row(?:\.([^}\s]+))?\s*\}\}$/

/**
 * Compiles a request template against a target URL. Rows are inserted as JSON values; a field the row lacks is
 * `null` (its name, never its value, appears in errors).
 */
export function createRequestTemplate(target: URL, spec: RequestTemplateSpec = {}): RequestTemplate {
  const method = spec.method?.toUpperCase()
  if (method !== undefined && !/^[A-Z]+$/.test(method))
    throw new TrafficError('MG_LOAD_BAD_TEMPLATE', `request template: method "${spec.method}" is not an HTTP method.`)
  const path = spec.path ?? `${target.pathname}${target.search}`
  if (!path.startsWith('/'))
    throw new TrafficError('MG_LOAD_BAD_TEMPLATE', `request template: path must start with "/", got "${path}".`)
  const baseHeaders: Record<string, string> = {}
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    if (typeof value !== 'string')
      throw new TrafficError('MG_LOAD_BAD_TEMPLATE', `request template: header "${name}" must be a string.`)
    baseHeaders[name.toLowerCase()] = value
  }
  const bodySpec = spec.body === undefined ? '{{row}}' : spec.body
  const withBody = { 'content-type': 'application/json', ...baseHeaders }
  return (row) => {
    if (row === undefined) return { method: method ?? 'GET', path, headers: baseHeaders, body: undefined }
    return { method: method ?? 'POST', path, headers: withBody, body: JSON.stringify(fill(bodySpec, row)) }
  }
}

function fill(shape: unknown, row: Readonly<Record<string, unknown>>): unknown {
  if (typeof shape === 'string') {
    const m = PLACEHOLDER.exec(shape)
    if (m === null) return shape
    if (m[1] === undefined) return row
    return m[1] in row ? row[m[1]] : null
  }
  if (Array.isArray(shape)) return shape.map((item) => fill(item, row))
  if (shape !== null && typeof shape === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(shape)) out[key] = fill(value, row)
    return out
  }
  return shape
}
