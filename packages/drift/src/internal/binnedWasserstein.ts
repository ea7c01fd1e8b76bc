import type { TestResult } from '@modelgate/stats'
import type { NumericColumnBaseline } from '../baseline.js'

interface NumericCounts {
  readonly count: number
  readonly bins: ArrayLike<number>
  readonly binSums: ArrayLike<number>
  readonly excessBelow: number
  readonly excessAbove: number
}

/**
 * Wasserstein-1 between the reference (a baseline's bins) and a window's counts on the same bins, divided by the
 * reference standard deviation. Over each bin [a, b) of the trimmed range the signed area ∫(F_ref − F_cur) is
 * exact, from the bin's count and the sum of its (clamped) values: ∫ₐᵇ F = (C(a)·(b − a) + Σ_bin (b − x)) / n,
 * C(a) the values below a. W1 is the sum of the bins' |signed areas| — exact when the two CDFs do not cross inside a
 * bin, a lower bound otherwise — plus, beyond the trimmed range, |E_ref[(lo − X)+] − E_cur[(lo − X)+]| and the same
 * above (exact when one CDF dominates in the tail). The exact W1 needs both raw samples; this needs neither.
 */
export function binnedWasserstein(
  column: NumericColumnBaseline,
  current: NumericCounts,
  threshold: number,
): TestResult {
  const lo = column.trimmedMin
  const hi = column.trimmedMax
  const nRef = column.count
  const nCur = current.count
  const m = column.binCounts.length
  let area = 0
  let cRef = 0
  let cCur = 0
  for (let j = 0; j < m; j++) {
    const a = j === 0 ? lo : clamp(column.edges[j - 1] as number, lo, hi)
    const b = j === m - 1 ? hi : clamp(column.edges[j] as number, lo, hi)
    const kRef = column.binCounts[j] as number
    const kCur = current.bins[j] as number
    if (b > a) {
      const intRef = (cRef * (b - a) + kRef * b - (column.binSums[j] as number)) / nRef
      const intCur = (cCur * (b - a) + kCur * b - (current.binSums[j] as number)) / nCur
      area += Math.abs(intRef - intCur)
    }
    cRef += kRef
    cCur += kCur
  }
  const tail =
    Math.abs(column.excessBelow / nRef - current.excessBelow / nCur) +
    Math.abs(column.excessAbove / nRef - current.excessAbove / nCur)
  const raw = area + tail
  const std = Math.sqrt(column.m2 / nRef)
  const value = std > 0 ? raw / std : raw === 0 ? 0 : Number.POSITIVE_INFINITY
  return {
    test: 'wasserstein',
    statistic: value,
    threshold,
    passed: value < threshold,
    details: { raw, referenceStd: std, approximate: 'binned', bins: m },
  }
}

function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : Math.min(x, hi)
}
