/** What `runLoad` reports to `onProgress` every `progressIntervalMs`. */
export interface LoadProgress {
  readonly elapsedMs: number
  readonly durationMs: number
  readonly sent: number
  readonly completed: number
  readonly errors: number
  readonly inFlight: number
  /** Due requests waiting for a free slot (in-flight limit). */
  readonly waiting: number
  /** Requests sent per second over the last interval. */
  readonly rate: number
  /** Corrected p99 so far (ms), NaN before the first response. */
  readonly p99: number
  /** The generator-falls-behind rule is already broken. */
  readonly behind: boolean
}
