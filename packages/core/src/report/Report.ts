/**
 * One report model for every check ModelGate runs (synth evaluate, contracts check, skew, drift, latency,
 * and later `modelgate gate`). Renderers turn it into a terminal summary, JSON, JUnit XML and a
 * self-contained HTML page. Everything in a report must be JSON-serializable and free of PII values.
 */
/**
 * `inconclusive`: not enough data to judge (too few rows in a window, a sample too small for the test); its message
 * always says why. A set of verdicts folds as fail > inconclusive > warn > pass; `skip` does not count.
 */
export type Verdict = 'pass' | 'warn' | 'fail' | 'inconclusive' | 'skip'

export interface HistogramChart {
  readonly kind: 'bars'
  readonly title: string
  /** Bin or category labels. */
  readonly labels: readonly string[]
  /** One or more series over the same labels (e.g. real vs synthetic, batch vs online). */
  readonly series: readonly { readonly name: string; readonly values: readonly number[] }[]
}

export interface HeatmapChart {
  readonly kind: 'heatmap'
  readonly title: string
  readonly rows: readonly string[]
  readonly columns: readonly string[]
  /** rows × columns, values in [min, max]. */
  readonly values: readonly (readonly number[])[]
  readonly min?: number
  readonly max?: number
  /**
   * How to colour it: `higherIsBetter` (scores: red is bad, green is good), `lowerIsBetter` (distances, error
   * rates), or `diverging` (signed values such as correlations: two neutral hues around zero, no good or bad).
   * Default `diverging`.
   */
  readonly scale?: 'diverging' | 'higherIsBetter' | 'lowerIsBetter'
}

export interface LineChart {
  readonly kind: 'line'
  readonly title: string
  readonly x: readonly number[]
  readonly xLabel?: string
  readonly series: readonly { readonly name: string; readonly values: readonly number[] }[]
}

/** Paired values, one point per pair (e.g. batch vs online per row); `diagonal` draws y = x (where they agree). */
export interface ScatterChart {
  readonly kind: 'scatter'
  readonly title: string
  readonly x: readonly number[]
  readonly y: readonly number[]
  readonly xLabel: string
  readonly yLabel: string
  readonly diagonal?: boolean
}

export type Chart = HistogramChart | HeatmapChart | LineChart | ScatterChart

export interface CheckResult {
  /** Stable id, e.g. `skew.feature.avg_amount_7d` or `contracts.null_rate.device_fingerprint`. */
  readonly id: string
  /** Human name shown in reports, e.g. the feature or column name. */
  readonly name: string
  /** Grouping for reports and JUnit test suites, e.g. `Column Shapes`, `null rates`. */
  readonly group: string
  readonly verdict: Verdict
  /** One readable line, e.g. `device_fingerprint null rate 38.0% > 5.0% (n=2,000)`. */
  readonly message: string
  /** Numbers behind the verdict: statistic, pValue, threshold, score, n … */
  readonly metrics?: Readonly<Record<string, number>>
  /** Extra JSON-serializable detail (worst rows, diffs …). Must never hold PII values. */
  readonly details?: unknown
  readonly charts?: readonly Chart[]
}

export interface Report {
  /** What produced it, e.g. `synth.evaluate`, `contracts.check`, `skew`. */
  readonly kind: string
  readonly title: string
  /** ISO timestamp. */
  readonly createdAt: string
  readonly durationMs?: number
  /** Headline figures, shown first (e.g. `{ quality: 0.96, columnShapes: 0.97 }`). */
  readonly summary: Readonly<Record<string, number | string>>
  readonly checks: readonly CheckResult[]
  /** Report-level charts (e.g. a correlation heat map). */
  readonly charts?: readonly Chart[]
  /** Sub-reports, e.g. one per check the gate ran; rendered as sections, one JUnit test suite each. */
  readonly reports?: readonly Report[]
  /** The fold of its checks' and sub-reports' verdicts: fail > inconclusive > warn > pass (see `deriveVerdict`). */
  readonly verdict: Verdict
}
