import { SkewError } from '../errors.js'
import { SKEW_DEFAULTS } from '../skewDefaults.js'
import type { SkewOptions, Tolerance } from '../types.js'

export function resolveTolerance(tolerance: SkewOptions['tolerance']): Tolerance {
  if (tolerance === undefined) return SKEW_DEFAULTS.tolerance
  const t = typeof tolerance === 'number' ? { absolute: tolerance, relative: tolerance } : tolerance
  const absolute = t.absolute ?? SKEW_DEFAULTS.tolerance.absolute
  const relative = t.relative ?? SKEW_DEFAULTS.tolerance.relative
  for (const [name, v] of [
    ['absolute', absolute],
    ['relative', relative],
  ] as const) {
    if (!(Number.isFinite(v) && v >= 0)) {
      throw new SkewError(
        'MG_SKEW_BAD_OPTION',
        `The ${name} tolerance must be a finite number ≥ 0, got ${String(v)}.`,
        {
          hint: 'Example: tolerance 1e-6',
        },
      )
    }
  }
  return { absolute, relative }
}

export function checkFraction(value: number, name: string): number {
  if (!(Number.isFinite(value) && value >= 0 && value <= 1)) {
    throw new SkewError('MG_SKEW_BAD_OPTION', `${name} must be between 0 and 1, got ${String(value)}.`)
  }
  return value
}
