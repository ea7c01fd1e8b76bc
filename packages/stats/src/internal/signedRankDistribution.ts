// Exact null distribution of the Wilcoxon signed-rank statistic T⁺ for n differences without ties: each rank
// i = 1..n is on the positive side with probability ½, independently, so P_i(t) = (P_{i−1}(t) + P_{i−1}(t − i)) / 2
// — positive terms only, stable in floating point.

/** P(T⁺ = t) for t = 0..n(n+1)/2. */
export function signedRankPmf(n: number): Float64Array {
  const top = (n * (n + 1)) / 2
  const p = new Float64Array(top + 1)
  p[0] = 1
  for (let i = 1; i <= n; i++) {
    const reach = (i * (i + 1)) / 2
    for (let t = reach; t >= 0; t--) p[t] = ((p[t] as number) + (t >= i ? (p[t - i] as number) : 0)) / 2
  }
  return p
}
