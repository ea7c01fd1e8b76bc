import type { Checkpointer } from '../createCheckpointer.js'
import type { Monitor } from '../createMonitor.js'
import { sourceFailure } from '../internal/sourceFailure.js'
import type { EventSink } from './EventSource.js'

/**
 * The sink every source hands its batches to: lines that were not JSON are refused (counted, dead-lettered by line
 * number), the values go to the monitor, and the batch's `ack` waits for the next checkpoint — or runs at once when
 * the monitor keeps none (then a crash loses what was in memory: at-most-once). An acknowledgement that fails is
 * reported through `onError` (the source will deliver that batch again).
 */
export function sourceSink(
  monitor: Monitor,
  checkpointer?: Checkpointer,
  onError?: (error: unknown) => void,
): EventSink {
  return (batch) => {
    for (const line of batch.invalidLines ?? []) {
      monitor.refuse('invalid_json', `line ${line} is not JSON`, `${batch.source}:${line}`)
    }
    monitor.ingest(batch.values, batch.source)
    if (batch.redelivered !== undefined && batch.redelivered > 0) monitor.redelivered(batch.redelivered)
    if (batch.ack === undefined) return
    if (checkpointer === undefined)
      void batch
        .ack()
        .catch((error: unknown) =>
          onError?.(sourceFailure(batch.source, 'acknowledging a batch', error, 'it will be delivered again')),
        )
    else checkpointer.afterNext(batch.ack)
  }
}
