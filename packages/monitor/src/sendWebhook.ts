import { setTimeout as sleep } from 'node:timers/promises'
import type { Alert } from './types.js'

export interface SendWebhookOptions {
  /** Extra headers (e.g. the deploy system's authorization). */
  readonly headers?: Readonly<Record<string, string>>
  /** Retries after the first attempt. Default 5. */
  readonly retries?: number
  /** First backoff; doubles each retry, capped at 30 s. Default 500 ms. */
  readonly backoffMs?: number
  /** Per attempt. Default 10 s. */
  readonly timeoutMs?: number
  readonly signal?: AbortSignal
}

export interface WebhookDelivery {
  readonly ok: boolean
  readonly attempts: number
  /** The last HTTP status, or null after a network error. */
  readonly status: number | null
  /** Why it failed, without the URL's credentials. */
  readonly problem?: string
}

/**
 * POSTs an alert as JSON with an `Idempotency-Key` header (the alert id: the same rule on the same window always has
 * the same key, so a deploy system can drop a repeat after a retry or from another replica). Retries network
 * errors, timeouts, 408, 429 and 5xx with exponential backoff (500 ms, 1 s, 2 s …); any other status is final.
 */
export async function sendWebhook(
  url: string,
  alert: Alert,
  options: SendWebhookOptions = {},
): Promise<WebhookDelivery> {
  const retries = options.retries ?? 5
  const backoff = options.backoffMs ?? 500
  const body = JSON.stringify(alert)
  let status: number | null = null
  let problem = ''
  for (let attempt = 1; ; attempt++) {
    try {
      const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000)
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'idempotency-key': alert.id,
          'user-agent': 'modelgate-monitor',
          ...options.headers,
        },
        body,
        signal: options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]),
      })
      status = response.status
      await response.arrayBuffer().catch(() => undefined)
      if (response.ok) return { ok: true, attempts: attempt, status }
      problem = `HTTP ${status}`
      const retryable = status === 408 || status === 429 || status >= 500
      if (!retryable) return { ok: false, attempts: attempt, status, problem }
    } catch (error) {
      status = null
      problem = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    }
    if (attempt > retries || options.signal?.aborted === true) return { ok: false, attempts: attempt, status, problem }
    await sleep(Math.min(30_000, backoff * 2 ** (attempt - 1)), undefined, { ref: false })
  }
}
