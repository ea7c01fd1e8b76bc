import { GateError } from '../../errors.js'
import type { GateCheck, GateConfig } from '../../gateConfig.js'

/** What a check runner receives from `runGate`. */
export interface CheckContext {
  readonly config: GateConfig
  /** The endpoint (the config's, or the caller's override). */
  readonly endpoint: string | undefined
  /** Aborted on timeout, fail-fast or the caller's signal. */
  readonly signal: AbortSignal
  /** A line of live progress for this check. */
  readonly progress: (detail: string) => void
}

/** A value the config leaves to a top-level default; missing in both is a config problem named by key. */
export function required<T>(value: T | undefined, check: GateCheck, key: string, fallback: string): T {
  if (value !== undefined) return value
  throw new GateError(
    'MG_GATE_INPUT_MISSING',
    `Check "${check.id}" (${check.type}) needs \`${key}\`, or the config's \`${fallback}\`.`,
    { hint: `Set checks[id=${check.id}].${key} or ${fallback} in the gate config.` },
  )
}
