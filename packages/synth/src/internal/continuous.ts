import type { ContinuousFit } from '../modelFile.js'
import { betaI, gammaP, normalCdf, normalPpf } from './special.js'

/** CDF of a fitted continuous family. */
export function continuousCdf(fit: ContinuousFit, x: number): number {
  switch (fit.family) {
    case 'normal':
      return normalCdf((x - fit.mu) / fit.sigma)
    case 'truncnorm': {
      const a = normalCdf((fit.lo - fit.mu) / fit.sigma)
      const b = normalCdf((fit.hi - fit.mu) / fit.sigma)
      if (x <= fit.lo) return 0
      if (x >= fit.hi) return 1
      return b > a ? (normalCdf((x - fit.mu) / fit.sigma) - a) / (b - a) : 0.5
    }
    case 'uniform':
      return fit.hi > fit.lo ? clamp01((x - fit.lo) / (fit.hi - fit.lo)) : 0.5
    case 'beta':
      return fit.hi > fit.lo ? betaI(fit.alpha, fit.beta, clamp01((x - fit.lo) / (fit.hi - fit.lo))) : 0.5
    case 'gamma':
      return gammaP(fit.shape, Math.max(0, (x - fit.loc) / fit.scale))
    case 'empirical':
      return empiricalCdf(fit.quantiles, x)
  }
}

function empiricalCdf(q: readonly number[], x: number): number {
  const m = q.length
  const first = q[0] as number
  const last = q[m - 1] as number
  if (x <= first) return 0
  if (x >= last) return 1
  // Largest i with q[i] <= x.
  let lo = 0
  let hi = m - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if ((q[mid] as number) <= x) lo = mid
    else hi = mid
  }
  const a = q[lo] as number
  const b = q[lo + 1] as number
  const frac = b > a ? (x - a) / (b - a) : 0
  return (lo + frac) / (m - 1)
}

/**
 * An inverse CDF for sampling. Closed forms where they exist; beta and gamma through a table of
 * quantiles found by bisection on the CDF (built once when a model is loaded).
 */
export function createContinuousPpf(fit: ContinuousFit, lo: number, hi: number): (u: number) => number {
  switch (fit.family) {
    case 'normal':
      return (u) => fit.mu + fit.sigma * normalPpf(u)
    case 'truncnorm': {
      const a = normalCdf((fit.lo - fit.mu) / fit.sigma)
      const b = normalCdf((fit.hi - fit.mu) / fit.sigma)
      return (u) => fit.mu + fit.sigma * normalPpf(a + u * (b - a))
    }
    case 'uniform':
      return (u) => fit.lo + u * (fit.hi - fit.lo)
    case 'empirical': {
      const q = Float64Array.from(fit.quantiles)
      const m1 = q.length - 1
      return (u) => {
        const pos = u * m1
        const i = Math.min(m1 - 1, Math.floor(pos))
        const a = q[i] as number
        return a + (pos - i) * ((q[i + 1] as number) - a)
      }
    }
    case 'beta':
    case 'gamma': {
      const size = 1025
      const table = new Float64Array(size)
      const span = hi - lo
      for (let i = 0; i < size; i++) {
        const p = Math.min(1 - 1e-9, Math.max(1e-9, i / (size - 1)))
        let a = lo - span
        let b = hi + span
        if (fit.family === 'beta') {
          a = fit.lo
          b = fit.hi
        } else {
          a = fit.loc
          // At most ~1,000 steps, and none that no longer moves b (a hand-made fit far from the origin: issue #12).
          const step = span + 1
          for (let tries = 0; tries <= 1000 && continuousCdf(fit, b) < p && b < hi + 1e3 * step; tries++) {
            const next = b + step
            if (!(next > b)) break
            b = next
          }
        }
        for (let it = 0; it < 60; it++) {
          const mid = (a + b) / 2
          if (continuousCdf(fit, mid) < p) a = mid
          else b = mid
        }
        table[i] = (a + b) / 2
      }
      return (u) => {
        const pos = u * (size - 1)
        const i = Math.min(size - 2, Math.floor(pos))
        const a = table[i] as number
        return a + (pos - i) * ((table[i + 1] as number) - a)
      }
    }
  }
}

function clamp01(x: number): number {
  return x < 0 ? 0 : Math.min(x, 1)
}
