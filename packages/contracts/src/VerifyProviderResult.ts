import type { Report } from '@modelgate/core'

/** What `verifyProvider` returns: per interaction, whether the provider honoured it and the Pact core's mismatches. */
export interface VerificationMismatch {
  /** JSON path in the body, e.g. `$.score`, when the mismatch is in the body. */
  readonly path?: string
  readonly expected?: string
  readonly actual?: string
  /** The Pact core's own words, e.g. `Expected '1.5' to match '^(?:…)$'`. */
  readonly message: string
  /** `BodyMismatch`, `StatusMismatch`, `HeaderMismatch`, … */
  readonly type: string
}

export interface InteractionVerification {
  readonly description: string
  readonly passed: boolean
  readonly mismatches: readonly VerificationMismatch[]
}

export interface VerifyProviderResult {
  readonly passed: boolean
  readonly interactions: readonly InteractionVerification[]
  /** The verifier's own text output (ANSI colours removed): the Pact diff. */
  readonly output: string
  readonly report: Report
}
