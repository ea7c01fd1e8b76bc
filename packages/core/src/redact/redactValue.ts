import { piiFromName } from '../schema/internal/piiNames.js'
import { valueShape } from '../schema/internal/piiValues.js'

export interface RedactValueOptions {
  /** The column the value comes from: a PII-like name (`email`, `customer_phone`) redacts whatever the value. */
  readonly column?: string
  /** The column is known to hold PII (tagged in a schema, or detected). */
  readonly pii?: boolean
  /** Longest text shown (default 40 characters). */
  readonly maxLength?: number
}

/**
 * One data value as an error message shows it: quoted and cut to `maxLength` characters — or, when the column is
 * PII (tagged, or named like it) or the value itself looks personal (an email, a phone, an SSN, a card number, an
 * IP address, a person's name), only what it looks like: `a value (redacted: looks like an email address)`.
 */
export function redactValue(value: unknown, options: RedactValueOptions = {}): string {
  const maxLength = options.maxLength ?? 40
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  if (options.pii === true) return 'a value (redacted: PII column)'
  const byName = options.column === undefined ? undefined : piiFromName(options.column)
  if (byName !== undefined) return `a value (redacted: the column looks like ${byName.type.replaceAll('_', ' ')})`
  const shape = typeof value === 'string' ? valueShape(text) : undefined
  if (shape !== undefined && SHOWN_SHAPES.has(shape) === false)
    return `a value (redacted: looks like ${SHAPE_NOUN[shape] ?? 'PII'})`
  const cut = text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text
  return typeof value === 'string' ? JSON.stringify(cut) : cut
}

/** Shapes that say a value is not personal (dates, numbers). */
const SHOWN_SHAPES = new Set<string>(['date', 'number'])

const SHAPE_NOUN: Readonly<Record<string, string>> = {
  email: 'an email address',
  ipv4: 'an IP address',
  ipv6: 'an IP address',
  ssn: 'a social security number',
  ssn_digits: 'a social security number',
  uuid: 'a device id',
  hex_id: 'a device id',
  card: 'a card number',
  long_digits: 'a card number',
  short_ssn: 'a social security number',
  phone: 'a phone number',
  phone_digits: 'a phone number',
  street: 'a street address',
  person: "a person's name",
  free_text: 'free text',
}
