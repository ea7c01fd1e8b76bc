import { formatCount } from '../format/formatNumber.js'
import type { Column } from '../Table.js'
import { countNulls, sampleValidRows, textAt } from './internal/columnValues.js'
import { hintedTypes, isDigestName, isIdLikeName, piiFromName } from './internal/piiNames.js'
import type { ValueShape } from './internal/piiValues.js'
import {
  isPlaceholder,
  SHAPE_LABEL,
  SHAPE_TYPE,
  startsWithGivenName,
  TYPE_LABEL,
  valueShape,
} from './internal/piiValues.js'
import type { PiiType } from './Schema.js'

export interface DetectPiiOptions {
  /** How many non-null values to look at, spread evenly over the column (default 1,000). */
  readonly sampleSize?: number
  /** Share of sampled values that must share a PII shape to flag the column by its values (default 0.8). */
  readonly threshold?: number
}

export interface PiiFinding {
  readonly type: PiiType
  /** Why, e.g. `name matches "email"; 98% of 1,000 sampled values look like email addresses`. Never holds values. */
  readonly reason: string
  /** The column name matched a PII name pattern. */
  readonly byName: boolean
  /** Share of sampled values with the PII shape (0 when the values were not decisive). */
  readonly valueShare: number
  readonly sampled: number
}

const DEFAULT_SAMPLE = 1000
const DEFAULT_THRESHOLD = 0.8
/** Share needed when the column name hints at the type (`cc` with card-shaped values, `taxpayer` with SSNs). */
const HINTED_THRESHOLD = 0.5

/**
 * Decides whether a column likely holds personally identifying data, from its name and from the shapes of a
 * deterministic sample of its values (email, phone, SSN, IPv4/IPv6, card numbers, street addresses, UUID-like
 * device ids, person names, free text; phones, SSNs and cards also as bare digits, stored as text or as
 * numbers). Shares are measured over the values that are not placeholders ("unknown", "n/a", "-" …). The
 * reason never quotes a value.
 */
export function detectPii(column: Column, numRows: number, options: DetectPiiOptions = {}): PiiFinding | undefined {
  if (column.kind === 'boolean' || column.kind === 'datetime') return undefined
  const sampleSize = options.sampleSize ?? DEFAULT_SAMPLE
  const threshold = options.threshold ?? DEFAULT_THRESHOLD
  const byName = piiFromName(column.name)
  const hinted = hintedTypes(column.name)
  if (byName !== undefined) hinted.add(byName.type)

  const nonNull = numRows - countNulls(column, numRows)
  const rows = sampleValidRows(column, numRows, nonNull, sampleSize)
  const numeric = column.kind === 'numeric' || column.kind === 'integer'
  const shapes = new Map<ValueShape, number>()
  const distinct = new Set<string>()
  const person = new Set<string>()
  const digitValues: number[] = []
  let placeholders = 0
  const numbers = column.kind === 'numeric' || column.kind === 'integer' ? column.values : null
  // A text's placeholder test and shape, once per distinct text (a categorical's sample repeats a few values).
  const seen = new Map<string, ValueShape | 'placeholder' | undefined>()
  for (const row of rows) {
    // A number has a PII shape only as an integer of 7 or more digits (phone, SSN, card); the others are counted
    // without writing them out (their distinct count only matters for person names, which numbers never are).
    const number = numbers === null ? 0 : (numbers[row] as number)
    if (numbers !== null && !(number >= 1e6 && Number.isInteger(number))) continue
    const text = textAt(column, row)
    if (text === null) continue
    let shape = seen.get(text)
    if (shape === undefined && !seen.has(text)) {
      shape = !numeric && isPlaceholder(text) ? 'placeholder' : valueShape(text, numeric)
      seen.set(text, shape)
    }
    if (shape === 'placeholder') {
      placeholders++
      continue
    }
    distinct.add(text)
    if (shape === undefined) continue
    shapes.set(shape, (shapes.get(shape) ?? 0) + 1)
    if (shape === 'person') person.add(text)
    if (shape === 'phone_digits' || shape === 'ssn_digits' || shape === 'short_ssn')
      digitValues.push(Number(text.replace(/\D/g, '')))
  }
  const measured = rows.length - placeholders
  const distinctRatio = measured === 0 ? 0 : distinct.size / measured

  const counts = new Map<PiiType, { count: number; shapes: ValueShape[] }>()
  for (const [shape, count] of shapes) {
    let type = SHAPE_TYPE[shape]
    // 13–19 digits failing the Luhn check are card numbers only under a card-like name (test cards often fail it).
    if (shape === 'long_digits' && hinted.has('card_number')) type = 'card_number'
    // 7–8 digit numbers are SSNs that lost their leading zeros only under an SSN-like name.
    if (shape === 'short_ssn' && hinted.has('national_id')) type = 'national_id'
    if (type === undefined) continue
    // A UUID key (`order_id`) is an identifier, not a device id, unless the name says device.
    if (
      (shape === 'uuid' || shape === 'hex_id') &&
      (isIdLikeName(column.name) || isDigestName(column.name)) &&
      byName?.type !== 'device_id'
    )
      continue
    // Digit-only phones and SSNs under an id-like name, or dense like a counter, are keys (`order_id`).
    if ((shape === 'phone_digits' || shape === 'ssn_digits') && !hinted.has(type)) {
      if (isIdLikeName(column.name) || isDense(digitValues)) continue
    }
    const entry = counts.get(type) ?? { count: 0, shapes: [] }
    entry.count += count
    entry.shapes.push(shape)
    counts.set(type, entry)
  }
  // Person names: a Title Case pair repeated in few distinct values is as likely a city or a plan, so it takes
  // common given names (or a name hint) to count — whatever the distinct ratio.
  const names = counts.get('person_name')
  if (names !== undefined && !hinted.has('person_name')) {
    let given = 0
    for (const value of person) if (startsWithGivenName(value)) given++
    const needed = distinctRatio >= 0.25 ? 0.2 : 0.5
    if (given < needed * person.size) counts.delete('person_name')
  }

  let best: { type: PiiType; count: number; shapes: ValueShape[] } | undefined
  for (const [type, entry] of counts) {
    const needed = hinted.has(type) ? Math.min(threshold, HINTED_THRESHOLD) : threshold
    if (measured === 0 || entry.count < needed * measured) continue
    if (best === undefined || entry.count > best.count) best = { type, ...entry }
  }
  const share = best === undefined || measured === 0 ? 0 : best.count / measured

  if (byName === undefined && best === undefined) return undefined
  const parts: string[] = []
  if (byName !== undefined) parts.push(`name matches "${byName.pattern}"`)
  if (best !== undefined) {
    const [only] = best.shapes
    const label =
      best.shapes.length === 1 &&
      only !== undefined &&
      only !== 'long_digits' &&
      only !== 'short_ssn' &&
      best.type !== 'ip_address'
        ? SHAPE_LABEL[only]
        : TYPE_LABEL[best.type]
    const left = placeholders === 0 ? '' : ` (${formatCount(placeholders)} placeholder values left out)`
    const cardNote = best.shapes.includes('long_digits') ? ' under a card-like name' : ''
    parts.push(
      `${formatPercent(share)} of ${formatCount(measured)} sampled values${left} look like ${label}${cardNote}`,
    )
  }
  return {
    type: best?.type ?? (byName as { type: PiiType }).type,
    reason: parts.join('; '),
    byName: byName !== undefined,
    valueShare: share,
    sampled: measured,
  }
}

/** Sorted distinct values closer than 1,000 apart on average: a counter or an id range, not phones or SSNs. */
function isDense(values: readonly number[]): boolean {
  const distinct = [...new Set(values)].sort((a, b) => a - b)
  if (distinct.length < 5) return false
  const span = (distinct[distinct.length - 1] as number) - (distinct[0] as number)
  return span / distinct.length < 1000
}

function formatPercent(share: number): string {
  const pct = share * 100
  return `${pct >= 99.5 && share < 1 ? '>99' : Math.round(pct)}%`
}

/** Exposed for callers that only have a name (e.g. a payload field): the PII type the name suggests. */
export function piiTypeFromName(name: string): PiiType | undefined {
  return piiFromName(name)?.type
}
