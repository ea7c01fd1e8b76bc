import type { Baseline, DriftState } from '@modelgate/drift'
import { createDriftState } from '@modelgate/drift'
import type { ShadowDriftReports } from '../ShadowDriftReports.js'

const BATCH = 256
const CACHE_MS = 2_000

/**
 * Two drift window states over the same baseline, fed from each pair: the request's features (the body's `features`
 * object, or the body itself) with the primary's prediction in one and the candidate's in the other, so the
 * evaluated reports hold the data drift of the shadow traffic and the prediction drift of both models. Events are
 * added in batches off the primary path; evaluation is cached for two seconds (scrapes and status calls share it).
 */
export class ShadowDrift {
  private readonly primary: DriftState
  private readonly candidate: DriftState
  private readonly pendingPrimary: unknown[] = []
  private readonly pendingCandidate: unknown[] = []
  private cached: { at: number; reports: ShadowDriftReports } | undefined

  constructor(
    private readonly baseline: Baseline,
    private readonly options: {
      readonly featuresField: string | undefined
      readonly predictionField: string
      readonly methods: readonly string[] | undefined
    },
  ) {
    const methods = options.methods === undefined ? {} : { methods: options.methods }
    this.primary = createDriftState(baseline, methods)
    this.candidate = createDriftState(baseline, methods)
  }

  /** Feeds one pair's request body (parsed JSON) and both predictions (undefined when an answer had none). */
  add(request: unknown, primaryScore: number | undefined, candidateScore: number | undefined): void {
    const features = featuresOf(request, this.options.featuresField)
    this.pendingPrimary.push(event(features, primaryScore))
    this.pendingCandidate.push(event(features, candidateScore))
    if (this.pendingPrimary.length >= BATCH) this.flush()
  }

  /** Pairs fed (including those not yet added to the states). */
  get rows(): number {
    return this.primary.rows + this.pendingPrimary.length
  }

  get predictionField(): string {
    return this.options.predictionField
  }

  get hasPrediction(): boolean {
    return this.baseline.prediction !== null
  }

  evaluate(now = performance.now()): ShadowDriftReports {
    if (this.cached !== undefined && now - this.cached.at < CACHE_MS && this.pendingPrimary.length === 0)
      return this.cached.reports
    this.flush()
    const reports = {
      primary: this.primary.evaluate(),
      candidate: this.candidate.evaluate(),
      rows: this.primary.rows,
    }
    this.cached = { at: now, reports }
    return reports
  }

  private flush(): void {
    if (this.pendingPrimary.length === 0) return
    this.primary.addEvents(this.pendingPrimary.splice(0))
    this.candidate.addEvents(this.pendingCandidate.splice(0))
  }
}

function event(features: unknown, score: number | undefined): unknown {
  return score === undefined ? { features } : { features, prediction: { score } }
}

function featuresOf(body: unknown, field: string | undefined): unknown {
  let value = body
  if (field !== undefined && field !== '') {
    for (const key of field.split('.'))
      value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined
    return value
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const nested = (value as { features?: unknown }).features
    if (nested !== null && typeof nested === 'object' && !Array.isArray(nested)) return nested
  }
  return value
}
