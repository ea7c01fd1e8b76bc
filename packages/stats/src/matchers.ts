import { formatStatistic } from '@modelgate/core'
import { andersonDarlingKSample } from './andersonDarlingKSample.js'
import { StatsError } from './errors.js'
import { toFiniteFloat64 } from './internal/validate.js'
import { ksTest } from './ksTest.js'
import { mannWhitneyU } from './mannWhitneyU.js'
import { psi } from './psi.js'
import type { TestResult } from './TestResult.js'

export interface MatchDistributionOptions {
  /** Which two-sample test decides: Kolmogorov–Smirnov (default), k-sample Anderson–Darling, or Mann–Whitney U. */
  readonly test?: 'ks' | 'ad' | 'mannwhitney'
  /** Significance level. Default 0.05. */
  readonly alpha?: number
}

export interface BaselineBandOptions {
  /** Half-width of the band in sample standard deviations of the history. Default 3. */
  readonly sigmas?: number
}

/** The custom matchers, typed for `expect(received).toX(...)`. */
export interface ModelGateMatchers<R = unknown> {
  /** Passes when a two-sample test does not reject "same distribution" at `alpha` (p ≥ alpha). */
  toMatchDistribution(baseline: ArrayLike<number>, options?: MatchDistributionOptions): R
  /** Passes when PSI(reference → received) < threshold (default 0.2). */
  toHavePsiBelow(reference: ArrayLike<number>, threshold?: number, options?: { readonly bins?: number }): R
  /** Passes when the number lies within mean ± sigmas·sd of the history. */
  toBeWithinBaselineBand(history: ArrayLike<number>, options?: BaselineBandOptions): R
}

/** What vitest and jest pass a custom matcher as `this` (the part the matchers read). */
export interface MatcherContext {
  readonly isNot?: boolean
}

/** What a custom matcher returns to vitest or jest. */
export interface MatcherResult {
  readonly pass: boolean
  readonly message: () => string
  readonly actual?: unknown
  readonly expected?: unknown
}

const STAT_NAME: Record<string, string> = { ks: 'D', 'anderson-darling': 'T', 'mann-whitney': 'U' }

/**
 * Matcher implementations for `expect.extend` (vitest or jest). Importing this has no side effects;
 * `@modelgate/stats/vitest` registers them with vitest's `expect`.
 */
export const modelgateMatchers = {
  toMatchDistribution(
    this: MatcherContext,
    received: ArrayLike<number>,
    baseline: ArrayLike<number>,
    options: MatchDistributionOptions = {},
  ): MatcherResult {
    const alpha = options.alpha ?? 0.05
    const test = options.test ?? 'ks'
    let r: TestResult
    if (test === 'ks') r = ksTest(received, baseline, { alpha })
    else if (test === 'ad') r = andersonDarlingKSample([received, baseline], { alpha })
    else if (test === 'mannwhitney') r = mannWhitneyU(received, baseline, { alpha })
    else {
      throw new StatsError(
        'MG_STATS_BAD_OPTION',
        `toMatchDistribution: unknown test "${String(test)}"; use 'ks', 'ad' or 'mannwhitney'.`,
      )
    }
    const p = r.pValue as number
    const sizes = `n = ${received.length} vs baseline n = ${baseline.length}`
    const stat = `${STAT_NAME[r.test] ?? 'statistic'} = ${formatStatistic(r.statistic)}`
    const bound =
      r.details?.pValueBound === 'capped' ? ' (capped)' : r.details?.pValueBound === 'floored' ? ' (floored)' : ''
    return {
      pass: r.passed,
      message: () =>
        this.isNot
          ? `expected samples NOT to match the baseline distribution (${r.test}), but they do: ${stat}, p = ${formatStatistic(p)}${bound} ≥ alpha = ${alpha}, ${sizes}`
          : `expected samples to match the baseline distribution (${r.test}), but they differ: ${stat}, p = ${formatStatistic(p)}${bound} < alpha = ${alpha}, ${sizes}`,
    }
  },

  toHavePsiBelow(
    this: MatcherContext,
    received: ArrayLike<number>,
    reference: ArrayLike<number>,
    threshold = 0.2,
    options: { readonly bins?: number } = {},
  ): MatcherResult {
    const r = psi(reference, received, { threshold, ...(options.bins === undefined ? {} : { bins: options.bins }) })
    const pass = r.statistic < threshold
    const sizes = `n = ${received.length} vs reference n = ${reference.length}, ${String(r.details?.bins)} bins`
    return {
      pass,
      message: () =>
        this.isNot
          ? `expected PSI to be at least ${threshold}, but PSI = ${formatStatistic(r.statistic)} (${sizes})`
          : `expected PSI below ${threshold}, but PSI = ${formatStatistic(r.statistic)} (${sizes})`,
      actual: r.statistic,
      expected: threshold,
    }
  },

  toBeWithinBaselineBand(
    this: MatcherContext,
    received: number,
    history: ArrayLike<number>,
    options: BaselineBandOptions = {},
  ): MatcherResult {
    const sigmas = options.sigmas ?? 3
    const h = toFiniteFloat64(history, 'toBeWithinBaselineBand: history', 2)
    let mean = 0
    for (let i = 0; i < h.length; i++) mean += h[i] as number
    mean /= h.length
    let ss = 0
    for (let i = 0; i < h.length; i++) ss += ((h[i] as number) - mean) ** 2
    const sd = Math.sqrt(ss / (h.length - 1))
    const lo = mean - sigmas * sd
    const hi = mean + sigmas * sd
    const pass = typeof received === 'number' && received >= lo && received <= hi
    const z = sd > 0 ? (received - mean) / sd : Number.NaN
    const desc = `band [${formatStatistic(lo)}, ${formatStatistic(hi)}] = mean ${formatStatistic(mean)} ± ${sigmas}·sd ${formatStatistic(sd)}, n = ${h.length}; z = ${formatStatistic(z)}`
    return {
      pass,
      message: () =>
        this.isNot
          ? `expected ${formatStatistic(received)} to be outside the baseline ${desc}`
          : `expected ${formatStatistic(received)} to be within the baseline ${desc}`,
    }
  },
}
