import { startsWithGivenName } from '../schema/internal/piiValues.js'
import { redactUrl } from './redactUrl.js'

export interface RedactTextOptions {
  /** Longest excerpt kept, in characters (default 120); longer text is cut and says how long it was. */
  readonly maxLength?: number
  /**
   * Values that must not appear whatever they look like — e.g. the fields of the row a request was built from, so
   * that a response echoing the row shows none of it. Values shorter than 3 characters are ignored.
   */
  readonly secrets?: Iterable<unknown>
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters (ANSI escapes first) are what it removes
const CONTROL = /\u001b\[[0-9;?]*[A-Za-z]|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g
const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g
// Credentials after an auth scheme: `Bearer eyJ…`, `Basic dXNlcjpwdw==`.
const AUTH = /\b(Bearer|Basic|Token|Digest)\s+[A-Za-z0-9._~+/=-]+/gi
// Runs of 7 or more digits, possibly grouped by spaces, dots, dashes or parentheses: phones, SSNs, cards, accounts.
const DIGIT_RUN = /\+?\(?\d(?:[\s().-]?\d){6,}/g
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/
// Opaque tokens: 20+ letters, digits, `-` or `_` mixing letters and digits (API keys, JWT parts, UUIDs, hashes).
const TOKEN = /\b[A-Za-z0-9_-]{20,}\b/g
// Two or three capitalized words; redacted when the first is a common given name ("Alice Zorblax").
const PERSON = /\b[A-Z][a-z'’-]+(?: [A-Z][a-zA-Z'’-]+){1,2}\b/g

/**
 * A short excerpt of untrusted text (an HTTP response body, a tool's stderr) fit for an error message, log or report:
 * control characters removed, whitespace collapsed, URLs without credentials, and anything that looks personal
 * replaced by its kind — `[email]`, `[number]` (7+ digits: phones, SSNs, cards), `[ip]`, `[token]`, `[name]`
 * (a common given name and a surname) and every given secret as `[redacted]` — then cut to `maxLength` characters.
 * Pattern rules cannot find every personal value (a surname alone, an address in prose): callers that know the
 * values behind the text pass them as `secrets`, and never show more than a short excerpt.
 */
export function redactText(text: string, options: RedactTextOptions = {}): string {
  const maxLength = options.maxLength ?? 120
  // Only the head is ever shown: redact a bounded prefix (a little longer, so a value cut at the edge is still seen).
  const head = text.length > maxLength * 4 + 256 ? text.slice(0, maxLength * 4 + 256) : text
  let out = head.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim()
  out = removeSecrets(out, options.secrets)
  out = redactUrl(out)
    .replace(AUTH, '$1 [redacted]')
    .replace(EMAIL, '[email]')
    .replace(IPV4, '[ip]')
    .replace(DIGIT_RUN, (run) => (ISO_DATE.test(run) ? run : '[number]'))
    .replace(TOKEN, (token) => (/\d/.test(token) && /[A-Za-z]/.test(token) ? '[token]' : token))
    .replace(PERSON, (name) => (startsWithGivenName(name) ? '[name]' : name))
  if (out.length <= maxLength && head.length === text.length) return out
  const cut = out.length > maxLength ? `${out.slice(0, Math.max(0, maxLength - 1)).trimEnd()}…` : `${out}…`
  return `${cut} (${text.length.toLocaleString('en-US')} characters)`
}

function removeSecrets(text: string, secrets: Iterable<unknown> | undefined): string {
  if (secrets === undefined) return text
  const needles = new Set<string>()
  for (const secret of secrets) {
    if (secret === null || secret === undefined || typeof secret === 'boolean') continue
    const value = String(secret).replace(/\s+/g, ' ').trim()
    if (value.length >= 3) needles.add(value)
    // A JSON body escapes quotes, backslashes and non-ASCII differently: look for that spelling too.
    const json = JSON.stringify(value).slice(1, -1)
    if (json.length >= 3 && json !== value) needles.add(json)
  }
  let out = text
  // Longest first, so that a value containing another is removed whole.
  for (const needle of [...needles].sort((a, b) => b.length - a.length)) out = out.split(needle).join('[redacted]')
  return out
}
