// Exact null distribution of the Mann–Whitney U statistic, in floating point, stable for large samples.
//
// The counts of U for samples of sizes m ≤ n are the coefficients of the Gaussian binomial
//   [m+n choose m]_q = Π_{i=1..m} (1 − q^(n+i)) / (1 − q^i)
// (Mann & Whitney 1947; Andrews, "The Theory of Partitions", 1976, §3.3). Step i divides by (1 − q^i) — a running
// sum, B[d] = A[d] + B[d − i] — and multiplies by (1 − q^(n+i)): A'[d] = B[d] − B[d − n − i]. In integers the
// counts overflow doubles past C(1030, 515); here every step is normalised to probabilities (× i/(n+i)) and
// everything above the needed tail point t is dropped, so the cost is O(m·t) time and O(t) memory. Rounding
// errors stay relative in the far tails: an error made in the upper part of an intermediate distribution only
// reaches P(U ≤ t) through paths that are themselves that far in the tail. (Mirroring the lower half of each step
// into the upper half, which the symmetry allows, made it unstable: 1e-10 off at the centre for 200 × 200.)
// Near the centre the error still grows with the smaller size m: ~1e-14 relative at 200 × 200, 4e-7 at 300 × 300,
// so callers stop at m = 200 (EXACT_MAX_SMALLER). Checked against exact rational arithmetic in
// scripts/make-stats-fixtures.py (160 × 160 and 600 × 600 in the tails, 200 × 200 at the centre).

/** Largest smaller sample for which the exact distribution keeps ~1e-13 relative accuracy everywhere. */
export const EXACT_MAX_SMALLER = 200

/** P(U = u) for u = 0..t under H0 (samples of sizes m and n, no ties). */
export function mannWhitneyPmf(sizeA: number, sizeB: number, tail: number): Float64Array {
  const m = Math.min(sizeA, sizeB)
  const n = Math.max(sizeA, sizeB)
  const t = Math.max(0, Math.min(tail, m * n))
  const a = new Float64Array(t + 1)
  const b = new Float64Array(t + 1)
  a[0] = 1
  for (let i = 1; i <= m; i++) {
    const end = Math.min(t, i * n) // A_i is 0 above i·n
    const shift = n + i
    const scale = i / (n + i)
    for (let d = 0; d <= end; d++) b[d] = (a[d] as number) + (d >= i ? (b[d - i] as number) : 0)
    for (let d = 0; d <= end; d++) {
      const v = ((b[d] as number) - (d >= shift ? (b[d - shift] as number) : 0)) * scale
      a[d] = Math.max(v, 0)
    }
  }
  return a
}

/** P(U ≤ t) under H0. */
function mannWhitneyCdf(sizeA: number, sizeB: number, t: number): number {
  if (t < 0) return 0
  if (t >= sizeA * sizeB) return 1
  const pmf = mannWhitneyPmf(sizeA, sizeB, t)
  let s = 0
  for (let d = 0; d <= t; d++) s += pmf[d] as number
  return Math.min(s, 1)
}

/** P(U ≥ k) under H0, summing whichever tail is shorter (the distribution is symmetric about mn/2). */
export function mannWhitneySf(sizeA: number, sizeB: number, k: number): number {
  const mn = sizeA * sizeB
  if (k <= 0) return 1
  if (k > mn) return 0
  return mn - k <= k - 1 ? mannWhitneyCdf(sizeA, sizeB, mn - k) : 1 - mannWhitneyCdf(sizeA, sizeB, k - 1)
}

/** Length of the distribution {@link mannWhitneySf} computes (its memory is 16 bytes per entry). */
export function mannWhitneySfLength(sizeA: number, sizeB: number, k: number): number {
  const mn = sizeA * sizeB
  return Math.min(Math.max(mn - k, 0), Math.max(k - 1, 0)) + 1
}
