import { piiTypeFromName } from '@modelgate/core'
import type { Baseline } from '@modelgate/drift'

const REDACTED = '[redacted]'
const NAME = /^[A-Za-z_][\w.-]{0,63}$/
const TOP_LEVEL = new Set(['request_id', 'timestamp', 'model_version', 'latency_ms', 'label'])

/**
 * The dead letter's view of an event: its shape and the values that are safe to keep. A feature value is kept only
 * when it cannot identify anyone: numbers and booleans of non-PII columns, and text that is one of the baseline's
 * (non-rare) categories of that column. PII columns (the baseline's, or a name core's `piiTypeFromName` recognizes),
 * other text, unknown top-level fields and oddly named keys are replaced by `[redacted]`.
 */
export function createRedactor(baseline: Baseline | undefined): (event: unknown) => unknown {
  const pii = new Set<string>()
  const categories = new Map<string, Set<string>>()
  for (const column of baseline?.columns ?? []) {
    if (column.kind === 'pii') pii.add(column.name)
    if (column.kind === 'categorical') categories.set(column.name, new Set(column.categories.map(([c]) => c)))
  }
  const isPii = (name: string) => pii.has(name) || piiTypeFromName(name.split('.').at(-1) ?? name) !== undefined
  const feature = (name: string, value: unknown): unknown => {
    if (value === null || typeof value === 'boolean') return value
    if (isPii(name)) return REDACTED
    if (typeof value === 'number') return value
    if (typeof value === 'string') return categories.get(name)?.has(value) === true ? value : REDACTED
    if (typeof value === 'object' && !Array.isArray(value))
      return features(value as Record<string, unknown>, `${name}.`)
    return REDACTED
  }
  const features = (object: Record<string, unknown>, prefix: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    let unnamed = 0
    for (const [key, value] of Object.entries(object)) {
      if (NAME.test(key)) out[key] = feature(prefix + key, value)
      else unnamed++
    }
    if (unnamed > 0) out['[redacted keys]'] = unnamed
    return out
  }
  return (event) => {
    if (typeof event !== 'object' || event === null || Array.isArray(event)) return { type: kind(event) }
    const out: Record<string, unknown> = {}
    const dropped: string[] = []
    for (const [key, value] of Object.entries(event)) {
      if (key === 'features' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        out.features = features(value as Record<string, unknown>, '')
      } else if (key === 'prediction' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
        const p = value as Record<string, unknown>
        out.prediction = {
          ...(typeof p.score === 'number' ? { score: p.score } : {}),
          ...(p.label === undefined ? {} : { label: safeScalar(p.label) }),
        }
      } else if (TOP_LEVEL.has(key)) {
        out[key] =
          key === 'label'
            ? safeScalar(value)
            : typeof value === 'string' && value.length > 256
              ? REDACTED
              : safeScalar(value)
      } else {
        dropped.push(NAME.test(key) ? key : REDACTED)
      }
    }
    if (dropped.length > 0) out['[dropped fields]'] = dropped
    return out
  }
}

function safeScalar(value: unknown): unknown {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value
  if (typeof value === 'string') return value.length <= 256 ? value : REDACTED
  return `[${kind(value)}]`
}

function kind(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
}
