import type { FeatureLogEvent } from './model.js'

export interface EventForwarder {
  /** Queues the inference event of one scored payload. */
  readonly add: (event: FeatureLogEvent, latencyMs: number) => void
  /** Sends what is queued (JSON lines, one POST). */
  readonly flush: () => Promise<void>
  readonly close: () => Promise<void>
}

/**
 * Forwards the service's inference events to a ModelGate monitor (`POST <monitor>/v1/events`, JSON lines) every
 * `intervalMs`: the feature-log event becomes the monitor's event (`request_id`, `timestamp`, `model_version`,
 * `features`, `prediction.score`, `latency_ms`). A failed POST is reported through `onError` and its batch dropped.
 */
export function createEventForwarder(
  monitorUrl: string,
  options: { readonly intervalMs?: number; readonly onError?: (error: unknown) => void } = {},
): EventForwarder {
  const url = new URL('/v1/events', monitorUrl)
  let queue: string[] = []
  let sending: Promise<void> = Promise.resolve()
  const flush = (): Promise<void> => {
    if (queue.length === 0) return sending
    const body = `${queue.join('\n')}\n`
    queue = []
    sending = sending.then(async () => {
      try {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body })
        await res.arrayBuffer()
        if (!res.ok) throw new Error(`monitor answered ${res.status}`)
      } catch (error) {
        options.onError?.(error)
      }
    })
    return sending
  }
  const timer = setInterval(() => void flush(), options.intervalMs ?? 200)
  timer.unref()
  return {
    add: (event, latencyMs) => {
      queue.push(
        JSON.stringify({
          request_id: event.event_id,
          timestamp: event.logged_at,
          model_version: event.prediction.model_version,
          features: event.features,
          prediction: { score: event.prediction.score },
          latency_ms: latencyMs,
        }),
      )
    },
    flush,
    close: async () => {
      clearInterval(timer)
      await flush()
    },
  }
}
