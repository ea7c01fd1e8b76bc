import { redactText } from '@modelgate/core'

/** The fields of a JSON error body whose text is shown (redacted): what frameworks put the reason in. */
const REASON_FIELDS = ['error', 'code', 'message', 'reason', 'title'] as const

/**
 * What an error message may say about an answer's body, which can echo the request row or hold values the service
 * looked up itself (a name, an address) that no redaction of the row's own values would catch. A JSON object is shown
 * by its keys and the redacted text of its reason fields only (`error`, `code`, `message`, `reason`, `title`, up to
 * 80 characters each; string values only) — the other fields' values never; any other body as a redacted excerpt of
 * `maxLength` characters (`redactText`: the row's values, e-mails, numbers, tokens and personal-looking names removed).
 */
export function describeErrorBody(text: string, options: { readonly row: object; readonly maxLength: number }): string {
  const secrets = Object.values(options.row)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return redactText(text, { secrets, maxLength: options.maxLength })
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    return `a JSON ${json === null ? 'null' : Array.isArray(json) ? 'array' : typeof json} (${text.length.toLocaleString('en-US')} characters)`
  const record = json as Record<string, unknown>
  const reasons = REASON_FIELDS.flatMap((field) => {
    const value = record[field]
    return typeof value === 'string'
      ? [`${field}: ${JSON.stringify(redactText(value, { secrets, maxLength: 80 }))}`]
      : []
  })
  const keys = Object.keys(record)
  const shown = keys.slice(0, 12).map((k) => redactText(k, { secrets, maxLength: 40 }))
  const more = keys.length > shown.length ? `, … ${keys.length - shown.length} more` : ''
  const fields = `JSON fields: ${shown.join(', ')}${more}`
  return reasons.length === 0 ? `(${fields})` : `${reasons.join(', ')} (${fields})`
}
