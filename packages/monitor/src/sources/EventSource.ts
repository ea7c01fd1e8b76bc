/**
 * A batch read from a source. `ack` (when the source has acknowledgements) is called once the events are safe: after
 * the checkpoint that holds them is written (or at once when the monitor keeps no checkpoints).
 */
export interface SourceBatch {
  readonly values: readonly unknown[]
  /** 1-based line numbers (within the batch's text) that were not JSON. */
  readonly invalidLines?: readonly number[]
  /** Where the batch came from, for dead letters (`redis:events`, `file:events.jsonl` …). */
  readonly source: string
  readonly ack?: () => Promise<void>
  /** Entries of the batch left out because the monitor already holds them (a redelivery): counted as duplicates. */
  readonly redelivered?: number
}

export type EventSink = (batch: SourceBatch) => void

/**
 * Where events come from. Small on purpose: a source reads batches and hands them to the sink, and acknowledges what
 * the sink's `ack` says is safe. A Kafka source would be the same thin adapter (a consumer group whose offsets are
 * committed in `ack`); none ships, because no broker runs here to test it against.
 */
export interface EventSource {
  readonly name: string
  start(sink: EventSink): Promise<void>
  /** Stops reading (pending acknowledgements still run). */
  stop(): Promise<void>
  /** The source's resumable position for the checkpoint (a file offset), if it keeps one itself. */
  position?(): unknown
}
