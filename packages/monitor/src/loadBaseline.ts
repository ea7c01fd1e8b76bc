import type { Baseline } from '@modelgate/drift'
import { baselineFromJSON } from '@modelgate/drift'

/** A validated drift baseline for the monitor (drift's `baselineFromJSON`; its errors name the file and key). */
export function loadBaseline(json: unknown, source: string): Baseline {
  return baselineFromJSON(json, { source })
}
