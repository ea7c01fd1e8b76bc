import type { Baseline } from '@modelgate/drift'
import type { LatencyHistogram } from '@modelgate/stats'
import { createLatencyHistogram } from '@modelgate/stats'
import type { WindowDrift } from './driftEngine.js'
import { createWindowDrift } from './driftEngine.js'
import type { WindowParts } from './summarizeWindow.js'

/** A tumbling unit of the monitor (a window, or a sliding window's hop) while it takes events. */
export interface OpenWindow {
  readonly start: number
  readonly end: number
  events: number
  errors: number
  readonly drift: WindowDrift | null
  /** Events not yet added to `drift` (added by chunks). */
  pending: unknown[]
  latency: LatencyHistogram | null
}

/** A sliding window's state: the merged states of its hops (`parts`, oldest first), ending with the last one's end. */
export function mergeHops(
  parts: readonly OpenWindow[],
  drift: { readonly baseline: Baseline | undefined; readonly methods: readonly string[] },
): WindowParts {
  let merged: WindowDrift | null = null
  if (drift.baseline !== undefined) {
    merged = createWindowDrift(drift.baseline, { methods: drift.methods })
    for (const p of parts) if (p.drift !== null) merged.merge(p.drift)
  }
  let latency: LatencyHistogram | null = null
  for (const p of parts) {
    if (p.latency === null) continue
    latency ??= createLatencyHistogram({ unit: 'ms' })
    latency.merge(p.latency)
  }
  const first = parts[0] as OpenWindow
  const last = parts.at(-1) as OpenWindow
  return {
    start: first.start,
    end: last.end,
    events: parts.reduce((a, p) => a + p.events, 0),
    errors: parts.reduce((a, p) => a + p.errors, 0),
    drift: merged,
    latency,
  }
}
