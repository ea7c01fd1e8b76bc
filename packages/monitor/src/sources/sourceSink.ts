import type { Checkpointer } from '../createCheckpointer.js'
import type { Monitor } from '../createMonitor.js'
import type { EventSink } from './EventSource.js'

/**
 * The sink every source hands its batches to: lines that were not JSON are refused (counted, dead-lettered by line
 * number), the values go to the monitor, and the batch's `ack` waits for the next checkpoint — or runs at once when
 * the monitor keeps none (then a crash loses what was in memory: at-most-once).
 */
export function sourceSink(monitor: Monitor, checkpointer?: Checkpointer): EventSink {
  return (batch) => {
    for (const line of batch.invalidLines ?? []) {
      monitor.refuse('invalid_json', `line ${line} is not JSON`, `${batch.source}:${line}`)
    }
    monitor.ingest(batch.values, batch.source)
    if (batch.redelivered !== undefined && batch.redelivered > 0) monitor.redelivered(batch.redelivered)
    if (batch.ack === undefined) return
    if (checkpointer === undefined) void batch.ack().catch(() => undefined)
    else checkpointer.afterNext(batch.ack)
  }
}
