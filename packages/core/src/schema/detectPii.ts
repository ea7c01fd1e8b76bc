import { formatCount } from '../format/formatNumber.js'
import type { Column } from '../Table.js'
import { countNulls, sampleValidRows, textAt } from './internal/columnValues.js'
import type { ValueShape } from './internal/piiPatterns.js'
import { isIdLikeName, piiFromName, SHAPE_LABEL, SHAPE_TYPE, valueShape } from './internal/piiPatterns.js'
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

/**
 * Decides whether a column likely holds personally identifying data, from its name and from the shapes of a
 * deterministic sample of its values (email, phone, SSN, IPv4/IPv6, Luhn-valid card numbers, street
 * addresses, UUID-like device ids, person names, long free text). The reason never quotes a value.
 */
export function detectPii(column: Column, numRows: number, options: DetectPiiOptions = {}): PiiFinding | undefined {
  if (column.kind === 'boolean' || column.kind === 'datetime') return undefined
  const sampleSize = options.sampleSize ?? DEFAULT_SAMPLE
  const threshold = options.threshold ?? DEFAULT_THRESHOLD
  const byName = piiFromName(column.name)

  const nonNull = numRows - countNulls(column, numRows)
  const rows = sampleValidRows(column, numRows, nonNull, sampleSize)
  const shapes = new Map<ValueShape, number>()
  const distinct = new Set<string>()
  const numeric = column.kind === 'numeric' || column.kind === 'integer'
  for (const row of rows) {
    const text = textAt(column, row)
    if (text === null) continue
    distinct.add(text)
    const shape = valueShape(text)
    // Numbers read as numbers can only be card numbers by value; a 10-digit integer is no phone number.
    if (shape === undefined || (numeric && shape !== 'card')) continue
    shapes.set(shape, (shapes.get(shape) ?? 0) + 1)
  }
  const sampled = rows.length
  const distinctRatio = sampled === 0 ? 0 : distinct.size / sampled

  let best: { shape: ValueShape; type: PiiType; count: number } | undefined
  for (const [shape, count] of shapes) {
    const type = SHAPE_TYPE[shape]
    if (type === undefined) continue
    // Names and free text only count when values vary: a category such as "United-States" is neither.
    // (Names repeat more than free text does: common first and last names.)
    if (shape === 'person' && distinctRatio < 0.25) continue
    if (shape === 'free_text' && distinctRatio < 0.5) continue
    // A UUID key (`order_id`) is an identifier, not a device id, unless the name says device.
    if ((shape === 'uuid' || shape === 'hex_id') && isIdLikeName(column.name) && byName?.type !== 'device_id') continue
    const combined =
      shape === 'ipv4' || shape === 'ipv6' ? (shapes.get('ipv4') ?? 0) + (shapes.get('ipv6') ?? 0) : count
    if (best === undefined || combined > best.count) best = { shape, type, count: combined }
  }
  const share = best === undefined || sampled === 0 ? 0 : best.count / sampled
  const byValues = best !== undefined && share >= threshold ? best : undefined

  if (byName === undefined && byValues === undefined) return undefined
  const parts: string[] = []
  if (byName !== undefined) parts.push(`name matches "${byName.pattern}"`)
  if (byValues !== undefined) {
    const label = byValues.shape === 'ipv4' || byValues.shape === 'ipv6' ? 'IP addresses' : SHAPE_LABEL[byValues.shape]
    parts.push(`${formatPercent(share)} of ${formatCount(sampled)} sampled values look like ${label}`)
  }
  return {
    type: byValues?.type ?? (byName as { type: PiiType }).type,
    reason: parts.join('; '),
    byName: byName !== undefined,
    valueShare: byValues === undefined ? 0 : share,
    sampled,
  }
}

function formatPercent(share: number): string {
  const pct = share * 100
  return `${pct >= 99.5 && share < 1 ? '>99' : Math.round(pct)}%`
}

/** Exposed for callers that only have a name (e.g. a payload field): the PII type the name suggests. */
export function piiTypeFromName(name: string): PiiType | undefined {
  return piiFromName(name)?.type
}
