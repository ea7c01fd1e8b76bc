import type { Tolerance } from './types.js'

/** Every default of checkSkew, in one place. */
export const SKEW_DEFAULTS = {
  tolerance: { absolute: 1e-9, relative: 1e-9 } satisfies Tolerance,
  minAgreement: 1,
  alpha: 0.05,
  psiThreshold: 0.1,
  jsThreshold: 0.1,
  maxNullRateDelta: 0.001,
  worstRows: 5,
  marginSdFactor: 0.05,
  rareBelow: 5,
} as const
