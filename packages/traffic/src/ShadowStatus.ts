import type { Verdict } from '@modelgate/core'
import type { ShadowCounts, ShadowPair } from './ShadowPair.js'

/** Latency of one target in milliseconds (HDR histogram of the whole run). */
export interface LatencyFigures {
  readonly count: number
  readonly p50: number | null
  readonly p90: number | null
  readonly p99: number | null
  readonly max: number | null
}

/** A drift report reduced to its verdict and its failing or inconclusive checks (ids and messages only). */
export interface DriftDigest {
  readonly verdict: Verdict
  readonly checks: readonly { readonly id: string; readonly verdict: Verdict; readonly message: string }[]
}

/** The mirror thread (`mirrorThread`): its losses, and whether it mirrors. */
export interface ShadowMirrorThreadStatus {
  /** `running`, or `stopped` after a loss it did not restart from (the primary is still served, nothing mirrored). */
  readonly state: 'running' | 'stopped'
  /** Threads lost so far (each reported once through `onError`, `MG_SHADOW_MIRROR_LOST`). */
  readonly losses: number
  /** Mirrored requests lost with them, or handed over after mirroring stopped (in `dropped`, reason `lost`). */
  readonly lostRequests: number
  /** What the last loss's report said (null: none). */
  readonly lastLoss: string | null
}

/** What `/_modelgate/status` answers (format `modelgate.shadow.status`, version 1). */
export interface ShadowStatus {
  readonly format: 'modelgate.shadow.status'
  readonly version: 1
  readonly startedAt: string
  readonly uptimeMs: number
  readonly primary: string
  readonly candidate: string
  readonly secondary: string | null
  readonly sample: number
  readonly mirrorPaths: readonly string[]
  readonly mirrorMethods: readonly string[]
  readonly tolerance: number
  readonly counts: ShadowCounts & {
    readonly pairs: number
    readonly skipped: number
    readonly droppedStale: number
  }
  readonly queue: {
    readonly depth: number
    readonly capacity: number
    readonly inFlight: number
    readonly maxInFlight: number
  }
  readonly store: { readonly kind: 'ring'; readonly capacity: number; readonly size: number }
  readonly latencyMs: Readonly<Record<'primary' | 'candidate' | 'secondary', LatencyFigures | null>>
  /** Over the pairs in the store: per target, answers without a usable body by kind. */
  readonly errors: Readonly<Record<'primary' | 'candidate' | 'secondary', Readonly<Record<string, number>>>>
  /** Over the pairs in the store, per score field. */
  readonly scores: Readonly<
    Record<
      string,
      {
        readonly compared: number
        readonly exceeded: number
        readonly meanDifference: number | null
        readonly meanAbsoluteDifference: number | null
      }
    >
  >
  /** Over the pairs in the store, per label field. */
  readonly labels: Readonly<Record<string, { readonly compared: number; readonly agreed: number }>>
  /** Over the pairs in the store: pairs whose candidate added / lost fields of the primary's answer. */
  readonly fields: { readonly added: number; readonly missing: number }
  /** Null without a baseline. */
  readonly drift: {
    readonly rows: number
    readonly primary: DriftDigest
    readonly candidate: DriftDigest
  } | null
  /** The most recent pairs (scores and labels only; PII label fields redacted). */
  readonly recent: readonly ShadowPair[]
  /** The mirror thread's state (null: the mirror runs on the proxy's thread). */
  readonly mirrorThread: ShadowMirrorThreadStatus | null
}
