import { normalCdf } from '../special.js'

/**
 * Φ₂(h, k; ρ) = P(X ≤ h, Y ≤ k) for standard bivariate normal (X, Y) with correlation ρ, by Sheppard's formula
 * in the form of Drezner & Wesolowsky (1990, "On the computation of the bivariate normal integral"):
 *   Φ₂(h, k; ρ) = Φ(h)Φ(k) + 1/(2π) ∫₀^{asin ρ} exp(−(h² + k² − 2hk sin θ) / (2 cos² θ)) dθ,
 * the integral taken with 20-point Gauss–Legendre on panels (more of them as |ρ| → 1, where the integrand gets steep).
 * h and k may be ±∞. Checked against scipy's multivariate_normal.cdf.
 */
export function bivariateNormalCdf(h: number, k: number, rho: number): number {
  if (h === Number.NEGATIVE_INFINITY || k === Number.NEGATIVE_INFINITY) return 0
  if (h === Number.POSITIVE_INFINITY) return k === Number.POSITIVE_INFINITY ? 1 : normalCdf(k)
  if (k === Number.POSITIVE_INFINITY) return normalCdf(h)
  const r = Math.max(-1, Math.min(1, rho))
  const base = normalCdf(h) * normalCdf(k)
  if (r === 0) return base
  const end = Math.asin(r)
  const a = Math.abs(r)
  const panels = a < 0.3 ? 1 : a < 0.75 ? 2 : a < 0.925 ? 4 : 12
  const hk = h * k
  const hh = (h * h + k * k) / 2
  const { nodes, weights } = gaussLegendre20()
  let sum = 0
  for (let p = 0; p < panels; p++) {
    // Panels shrink towards the end of the interval, where the integrand varies fastest.
    const t0 = 1 - ((panels - p) / panels) ** 2
    const t1 = 1 - ((panels - p - 1) / panels) ** 2
    const lo = end * t0
    const half = (end * (t1 - t0)) / 2
    const mid = lo + half
    let s = 0
    for (let i = 0; i < 20; i++) {
      const theta = mid + half * (nodes[i] as number)
      const sin = Math.sin(theta)
      const cos2 = 1 - sin * sin
      s += (weights[i] as number) * (cos2 > 0 ? Math.exp((hk * sin - hh) / cos2) : 0)
    }
    sum += s * half
  }
  return Math.min(1, Math.max(0, base + sum / (2 * Math.PI)))
}

let cached: { nodes: Float64Array; weights: Float64Array } | null = null

/** Nodes and weights of 20-point Gauss–Legendre quadrature on [−1, 1] (Newton on P₂₀, computed once on first use). */
function gaussLegendre20(): { nodes: Float64Array; weights: Float64Array } {
  if (cached !== null) return cached
  const n = 20
  const nodes = new Float64Array(n)
  const weights = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let x = Math.cos((Math.PI * (i + 0.75)) / (n + 0.5))
    let dp = 0
    for (let it = 0; it < 100; it++) {
      let p0 = 1
      let p1 = x
      for (let j = 2; j <= n; j++) {
        const p2 = ((2 * j - 1) * x * p1 - (j - 1) * p0) / j
        p0 = p1
        p1 = p2
      }
      dp = (n * (x * p1 - p0)) / (x * x - 1)
      const dx = p1 / dp
      x -= dx
      if (Math.abs(dx) < 1e-16) break
    }
    nodes[i] = x
    weights[i] = 2 / ((1 - x * x) * dp * dp)
  }
  cached = { nodes, weights }
  return cached
}
