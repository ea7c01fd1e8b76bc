import type { LatencyHistogram } from '@modelgate/stats'
import { createLatencyHistogram } from '@modelgate/stats'
import type { LoadResult, LoadSecond } from '../LoadResult.js'
import type { ErrorClass } from './classifyError.js'
import { ERROR_CLASSES } from './classifyError.js'

interface OpenSecond {
  intended: number
  sent: number
  ok: number
  errors: number
  pending: number
  histogram: LatencyHistogram | null
  encoded: string | null
  closed: boolean
}

const MAX_ERROR_SAMPLES = 10

/**
 * Records one run's measurements in constant memory: three HDR histograms for the whole run, and per second a few
 * counters plus a latency histogram that is encoded (a few hundred bytes) and freed once every request of that
 * second has finished.
 */
export class LoadRecorder {
  readonly latency = createLatencyHistogram()
  readonly uncorrected = createLatencyHistogram()
  readonly lateness = createLatencyHistogram()
  readonly errors: Record<ErrorClass, number> = Object.fromEntries(ERROR_CLASSES.map((c) => [c, 0])) as Record<
    ErrorClass,
    number
  >
  readonly statuses: Record<string, number> = {}
  private readonly samples = new Map<string, { class: ErrorClass; message: string; count: number }>()
  private readonly seconds: OpenSecond[] = []
  scheduled = 0
  sentCount = 0
  responses = 0
  ok = 0
  errorCount = 0
  warmup = 0
  late = 0
  veryLate = 0
  /** Requests sent in the last progress interval (for the live rate). */
  sentSinceTick = 0

  constructor(
    private readonly lateThresholdMs: number,
    private readonly maxLatenessMs: number,
  ) {}

  private second(i: number): OpenSecond {
    let s = this.seconds[i]
    while (s === undefined) {
      this.seconds.push({
        intended: 0,
        sent: 0,
        ok: 0,
        errors: 0,
        pending: 0,
        histogram: null,
        encoded: null,
        closed: false,
      })
      s = this.seconds[i]
    }
    return s
  }

  /** A measured request is due (its second by intended time). */
  scheduleOne(second: number): void {
    this.scheduled++
    const s = this.second(second)
    s.intended++
    s.pending++
  }

  /** The scheduler took a measured request off the schedule `latenessMs` after its intended time. */
  dueOne(latenessMs: number): void {
    this.lateness.record(Math.max(latenessMs, 0))
    if (latenessMs > this.lateThresholdMs) this.late++
    if (latenessMs > this.maxLatenessMs) this.veryLate++
  }

  /** A measured request left (its second by actual send time). */
  sendOne(sentSecond: number): void {
    this.sentCount++
    this.sentSinceTick++
    this.second(Math.max(0, sentSecond)).sent++
  }

  response(second: number, status: number, correctedMs: number, uncorrectedMs: number, failure?: ErrorClass): void {
    this.responses++
    const key = String(status)
    this.statuses[key] = (this.statuses[key] ?? 0) + 1
    const s = this.second(second)
    this.latency.record(correctedMs)
    this.uncorrected.record(uncorrectedMs)
    if (s.histogram === null) s.histogram = createLatencyHistogram()
    s.histogram.record(correctedMs)
    if (failure === undefined) {
      this.ok++
      s.ok++
    } else {
      this.errorCount++
      this.errors[failure]++
      s.errors++
    }
    s.pending--
  }

  /** A request that got no (usable) response: transport error or timeout. */
  failure(second: number, errorClass: ErrorClass, message: string): void {
    this.errorCount++
    this.errors[errorClass]++
    const s = this.second(second)
    s.errors++
    s.pending--
    this.sample(errorClass, message)
  }

  sample(errorClass: ErrorClass, message: string): void {
    const key = `${errorClass}\u0000${message}`
    const known = this.samples.get(key)
    if (known !== undefined) known.count++
    else if (this.samples.size < MAX_ERROR_SAMPLES) this.samples.set(key, { class: errorClass, message, count: 1 })
  }

  /** Encodes and frees the histograms of finished seconds before `second`. */
  closeBefore(second: number): void {
    for (let i = 0; i < Math.min(second, this.seconds.length); i++) {
      const s = this.seconds[i] as OpenSecond
      if (s.closed || s.pending > 0) continue
      s.encoded = s.histogram === null ? null : s.histogram.encode()
      s.histogram = null
      s.closed = true
    }
  }

  result(
    meta: Pick<LoadResult, 'target' | 'schedule' | 'shards' | 'startedAt' | 'warmupMs' | 'measuredMs' | 'scheduleRule'>,
  ): LoadResult {
    this.closeBefore(Number.POSITIVE_INFINITY)
    const seconds: LoadSecond[] = this.seconds.map((s) => ({
      intended: s.intended,
      sent: s.sent,
      ok: s.ok,
      errors: s.errors,
      latency: s.closed ? s.encoded : (s.histogram?.encode() ?? null),
    }))
    return {
      version: 1,
      ...meta,
      counts: {
        scheduled: this.scheduled,
        sent: this.sentCount,
        responses: this.responses,
        ok: this.ok,
        errors: this.errorCount,
        warmup: this.warmup,
        late: this.late,
        veryLate: this.veryLate,
      },
      errors: { ...this.errors },
      statuses: { ...this.statuses },
      errorSamples: [...this.samples.values()].map((s) => ({ ...s })),
      latency: this.latency.toJSON(),
      uncorrected: this.uncorrected.toJSON(),
      lateness: this.lateness.toJSON(),
      seconds,
    }
  }
}
