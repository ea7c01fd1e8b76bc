import type { DpMechanism } from '../../modelFile.js'
import type { DiscreteLaplace, RandomBits } from './discreteLaplace.js'
import { discreteLaplace } from './discreteLaplace.js'

/** What one release is: a vector of counts, the budget it spends and how much one added row can change it. */
interface ReleaseSpec {
  /** The column the counts describe; null for counts over several columns (the copula's tables). */
  readonly column: string | null
  /** What the counts are, in words (stored in the model file). */
  readonly quantity: string
  readonly epsilon: number
  /** L1 change of the whole count vector when one row is added or removed. */
  readonly sensitivity: number
}

interface NoisyCounts {
  readonly counts: Float64Array
  /** The threshold for `falsePositive`, or null when none was asked for. */
  readonly threshold: number | null
  /** The noise that was added (for further post-processing thresholds). */
  readonly noise: DiscreteLaplace
}

/**
 * The privacy accountant of one training run: every DP release goes through it and is recorded with its ε, δ,
 * sensitivity and noise scale, so the model file can list each mechanism; the total is their sum (basic sequential
 * composition, Dwork & Roth 2014, Theorem 3.16). Noise is discrete Laplace on integer counts.
 */
export interface PrivacyLedger {
  /**
   * Adds discrete Laplace noise to each count (integers in, integers out). With `falsePositive`, also returns the
   * threshold a bin's noisy count must reach so that an empty bin passes it with at most that probability (a
   * post-processing choice recorded with the release; it spends nothing).
   */
  noisyCounts(spec: ReleaseSpec, counts: ArrayLike<number>, falsePositive?: number): NoisyCounts
  /**
   * A histogram over a domain that comes from the data (Korolova et al. 2009; Wilson et al. 2020): noise is added to
   * the counts of the values present, and a value is released only when its noisy count reaches a threshold set so
   * that a value held by a single row is released with probability at most δ; (ε, δ)-DP. `fixed` counts are bins of
   * a public domain in the same histogram (nulls): noised, always released. Returns the released values with their
   * noisy counts in the map's order, and the noisy fixed counts.
   */
  noisySelection(
    spec: ReleaseSpec & { readonly delta: number; readonly minCount: number },
    counts: ReadonlyMap<string, number>,
    fixed?: readonly number[],
  ): { readonly selected: Map<string, number>; readonly fixed: Float64Array; readonly noise: DiscreteLaplace }
  readonly mechanisms: readonly DpMechanism[]
  /** Sum of the recorded ε and δ. */
  spent(): { epsilon: number; delta: number }
}

export function createPrivacyLedger(random: RandomBits): PrivacyLedger {
  const mechanisms: DpMechanism[] = []
  const record = (spec: ReleaseSpec, noise: DiscreteLaplace, delta: number, threshold?: number): void => {
    mechanisms.push({
      column: spec.column,
      quantity: spec.quantity,
      mechanism: threshold === undefined ? 'discrete Laplace' : 'discrete Laplace, thresholded',
      epsilon: spec.epsilon,
      delta,
      sensitivity: spec.sensitivity,
      scale: noise.num / noise.den,
      ...(threshold === undefined ? {} : { threshold }),
    })
  }
  return {
    noisyCounts(spec, counts, falsePositive) {
      const noise = discreteLaplace(spec.sensitivity, spec.epsilon)
      const out = new Float64Array(counts.length)
      for (let i = 0; i < counts.length; i++) out[i] = (counts[i] as number) + noise.sample(random)
      const threshold = falsePositive === undefined ? null : noise.quantileAbove(falsePositive)
      record(spec, noise, 0, threshold ?? undefined)
      return { counts: out, threshold, noise }
    },
    noisySelection(spec, counts, fixed = []) {
      const noise = discreteLaplace(spec.sensitivity, spec.epsilon)
      // A value one row holds is released iff 1 + Z ≥ threshold: P(Z ≥ threshold − 1) ≤ δ.
      const threshold = Math.max(spec.minCount, 1 + noise.quantileAbove(spec.delta))
      const selected = new Map<string, number>()
      for (const [value, count] of counts) {
        const noisy = count + noise.sample(random)
        if (noisy >= threshold) selected.set(value, noisy)
      }
      const noisyFixed = Float64Array.from(fixed, (c) => c + noise.sample(random))
      record(spec, noise, spec.delta, threshold)
      return { selected, fixed: noisyFixed, noise }
    },
    mechanisms,
    spent() {
      let epsilon = 0
      let delta = 0
      for (const m of mechanisms) {
        epsilon += m.epsilon
        delta += m.delta
      }
      return { epsilon, delta }
    },
  }
}
