import type { LatencyHistogramJSON } from '@modelgate/stats'
import type { ErrorClass } from './internal/classifyError.js'

export type { ErrorClass } from './internal/classifyError.js'

/** One second of the measured run (after the warm-up), by intended send time unless said otherwise. */
export interface LoadSecond {
  /** Requests the schedule meant to send in this second. */
  readonly intended: number
  /** Requests actually sent in this second (by actual send time). */
  readonly sent: number
  /** Requests with a successful response. */
  readonly ok: number
  readonly errors: number
  /** Coordinated-omission-corrected latencies of the responses (HdrHistogram, compressed base64, ns); null if none. */
  readonly latency: string | null
}

/**
 * Everything a load run measured, mergeable across shards: counts, the HDR histograms (encoded) and the per-second
 * series. Never holds a payload, a response body or a header value.
 */
export interface LoadResult {
  readonly version: 1
  /** The target URL without `user:password@`. */
  readonly target: string
  readonly schedule: { readonly description: string; readonly durationMs: number; readonly expectedCount: number }
  /** This process's share of the schedule (`--shard i/n`), when sharded; merged results list every shard. */
  readonly shards: readonly { readonly index: number; readonly count: number }[]
  readonly startedAt: string
  readonly warmupMs: number
  /** Length of the measured part (after the warm-up) of the schedule, in ms. */
  readonly measuredMs: number
  readonly counts: {
    /** Requests the schedule held for this process after the warm-up. */
    readonly scheduled: number
    readonly sent: number
    /** Responses received (any status). */
    readonly responses: number
    readonly ok: number
    readonly errors: number
    /** Requests sent during the warm-up (not measured). */
    readonly warmup: number
    /** Requests the generator sent more than `lateThresholdMs` after their intended time. */
    readonly late: number
    /** Requests sent more than `maxLatenessMs` late. */
    readonly veryLate: number
  }
  /** The generator-falls-behind rule this run was judged by. */
  readonly scheduleRule: {
    readonly lateThresholdMs: number
    readonly maxLateShare: number
    readonly maxLatenessMs: number
  }
  readonly errors: Readonly<Record<ErrorClass, number>>
  /** Responses by HTTP status code. */
  readonly statuses: Readonly<Record<string, number>>
  /** A few distinct error descriptions (code and message; never a body), with counts. */
  readonly errorSamples: readonly { readonly class: ErrorClass; readonly message: string; readonly count: number }[]
  /** Latency from each request's intended send time to its full response (coordinated-omission corrected). */
  readonly latency: LatencyHistogramJSON
  /** Latency from the actual send time (what a closed-loop client reports; hides generator and queueing delay). */
  readonly uncorrected: LatencyHistogramJSON
  /** Scheduling error: actual send time − intended send time. */
  readonly lateness: LatencyHistogramJSON
  readonly seconds: readonly LoadSecond[]
}
