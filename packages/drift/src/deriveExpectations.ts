import type { TableSchema } from '@modelgate/core'
import { quantileSorted } from '@modelgate/stats'
import type { Expectations, FeatureExpectation } from './expectations.js'
import { FeatureAccumulator } from './internal/featureAccumulator.js'
import { feedAccumulators } from './internal/feedAccumulators.js'
import type { PayloadSource } from './PayloadSource.js'

export interface DeriveExpectationsOptions {
  /** The annotated payload schema: fields, kinds, nullability, declared categories. */
  readonly schema: TableSchema
  /** A sample of payloads known to be healthy; without it only schema-level expectations are derived. */
  readonly sample?: PayloadSource
  /** Absolute slack added to the observed null rate. Default 0.04. */
  readonly nullRateSlack?: number
  /** Quantiles to band. Default [0.05, 0.25, 0.5, 0.75, 0.95]. */
  readonly quantiles?: readonly number[]
  /** Half-width of each band as a share of the 5–95% range. Default 0.1. */
  readonly bandWidth?: number
  /** Categories seen fewer than k times are never written (privacy). Default 5. */
  readonly k?: number
  readonly schemaSource?: string
  readonly sampleSource?: string
  /**
   * Per categorical column, categories known from elsewhere (a synth model's stored categories) and the share of
   * values outside them in the data they came from: the allowed set is those categories, and that share (plus 1
   * point) is tolerated outside it, so a derived expectation passes on the data the model was trained on.
   */
  /**
   * When the sample stands for fewer real rows than it has (rows drawn from a model trained on n rows): n. Quantile
   * bands are then as wide as a sample of n rows needs, not as narrow as the drawn sample allows, and quantiles
   * within the k−1 most extreme of n rows (which a model never stores) get no band.
   */
  readonly effectiveRows?: number
  readonly knownCategories?: Readonly<
    Record<string, { readonly values: readonly string[]; readonly otherShare: number }>
  >
}

const ceilTo = (x: number, step: number): number => Math.min(1, Math.ceil(x / step - 1e-9) * step)
const round6 = (x: number): number => Number(x.toPrecision(6))

/**
 * Derives per-feature distribution expectations from a schema and a healthy sample:
 * - every schema field is required (present in each payload);
 * - null-rate upper bound: 0 when the schema says `nullable: false`, else the observed rate plus
 *   max(slack, 3 standard errors), rounded up to 0.1%;
 * - allowed categories: the schema's `values`, else `knownCategories` (a model's, with the share it did not
 *   store), else the sample's categories seen at least k times (with the share of rarer ones, plus 1 point, as
 *   tolerated "other" rate);
 * - numeric quantile bands: the sample quantile ± bandWidth × (p95 − p5), widened where needed to the
 *   distribution-free 3σ interval of the quantile's rank (so tail quantiles of skewed features do not
 *   flap between two healthy samples).
 * PII columns get presence and null-rate expectations only. The result is plain JSON, meant to be edited.
 */
export async function deriveExpectations(options: DeriveExpectationsOptions): Promise<Expectations> {
  const slack = options.nullRateSlack ?? 0.04
  const probs = options.quantiles ?? [0.05, 0.25, 0.5, 0.75, 0.95]
  const bandWidth = options.bandWidth ?? 0.1
  const k = options.k ?? 5
  const columns = options.schema.columns
  const accumulators = columns.map(
    (c) =>
      new FeatureAccumulator({
        name: c.name,
        kind: c.kind,
        required: true,
        ...(c.kind === 'categorical' && c.pii === undefined ? { allowedValues: [] } : {}),
      }),
  )
  const rows = options.sample !== undefined ? await feedAccumulators(options.sample, accumulators) : 0

  const features: FeatureExpectation[] = columns.map((column, i) => {
    const acc = accumulators[i] as FeatureAccumulator
    const present = acc.rows - acc.missing
    const feature: { -readonly [K in keyof FeatureExpectation]: FeatureExpectation[K] } = {
      name: column.name,
      kind: column.kind,
      ...(column.kind === 'datetime' && column.format !== undefined ? { format: column.format } : {}),
      required: true,
    }
    if (!column.nullable) feature.maxNullRate = 0
    else if (present > 0) {
      const p = acc.nulls / present
      feature.maxNullRate = round6(ceilTo(p + Math.max(slack, 3 * Math.sqrt((p * (1 - p)) / present)), 0.001))
    }
    if (column.kind === 'categorical' && column.pii === undefined) {
      const known = options.knownCategories?.[column.name]
      if (column.values !== undefined) {
        feature.allowedValues = [...column.values]
        feature.maxOtherRate = 0
      } else if (known !== undefined) {
        feature.allowedValues = [...known.values].sort()
        feature.maxOtherRate = round6(ceilTo(known.otherShare + 0.01, 0.001))
      } else if (acc.categories.size > 0) {
        const counts = [...acc.categories]
        const total = counts.reduce((s, [, n]) => s + n, 0)
        const frequent = counts.filter(([, n]) => n >= k)
        const rare = total - frequent.reduce((s, [, n]) => s + n, 0)
        feature.allowedValues = frequent.map(([v]) => v).sort()
        feature.maxOtherRate = round6(ceilTo(rare / total + 0.01, 0.001))
      }
    }
    if ((column.kind === 'numeric' || column.kind === 'integer') && column.pii === undefined) {
      const sorted = acc.sortedNumbers()
      if (sorted.length > 0) {
        const spread = quantileSorted(sorted, 0.95) - quantileSorted(sorted, 0.05)
        const half = bandWidth * spread
        const m = Math.min(sorted.length, options.effectiveRows ?? Number.POSITIVE_INFINITY)
        // Drawn from a model: a quantile whose rank in the n real rows falls among the k−1 extremes the model never
        // stores (its bounds are the k-th smallest and largest values) cannot be banded from its samples.
        const bandable = options.effectiveRows === undefined ? probs : probs.filter((p) => m * Math.min(p, 1 - p) >= k)
        feature.quantiles = bandable.map((p) => {
          const q = quantileSorted(sorted, p)
          // Distribution-free interval for a quantile from the binomial law of its rank (Conover, Practical
          // Nonparametric Statistics, 3rd ed., §3.2), widened by √2 because a second sample varies too.
          const r = 3 * Math.SQRT2 * Math.sqrt(m * p * (1 - p))
          const lo = quantileSorted(sorted, Math.max(0, (m * p - r) / m))
          const hi = quantileSorted(sorted, Math.min(1, (m * p + r) / m))
          return { p, min: round6(Math.min(q - half, lo)), max: round6(Math.max(q + half, hi)) }
        })
      }
    }
    return feature
  })
  return {
    version: 1,
    ...(options.schema.name !== undefined ? { name: options.schema.name } : {}),
    derivedFrom: {
      ...(options.schemaSource !== undefined ? { schema: options.schemaSource } : {}),
      ...(options.sampleSource !== undefined ? { sample: options.sampleSource } : {}),
      rows,
    },
    features,
  }
}
