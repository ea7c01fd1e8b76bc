import {
  betaInc,
  chiSquareCdf,
  chiSquareSf,
  erfc,
  gammaP,
  gammaQ,
  lnGamma,
  normalCdf,
  normalPpf,
  normalSf,
  studentTCdf,
} from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { kolmogorovSf } from '../src/internal/kolmogorov.js'
import { expectClose, ref, ref2 } from './fixtures.js'

describe('normal distribution', () => {
  it('matches scipy.stats.norm.cdf to 1e-12 relative, deep into both tails', () => {
    for (const { x, value } of ref.normal.cdf) expectClose(normalCdf(x), value, 1e-12, 1e-300)
  })
  it('matches scipy.stats.norm.sf in the upper tail', () => {
    for (const { x, value } of ref.normal.sf) expectClose(normalSf(x), value, 1e-12, 1e-300)
  })
  it('matches scipy.stats.norm.ppf (Wichura AS241) to 1e-14 relative', () => {
    for (const { p, value } of ref.normal.ppf) expectClose(normalPpf(p), value, 1e-14, 1e-15)
  })
  it('inverts its own cdf', () => {
    for (const x of [-30, -7, -2.2, -0.3, 0, 0.9, 3.3]) expectClose(normalPpf(normalCdf(x)), x, 1e-9, 1e-12)
  })
  it('handles the ends of [0, 1] and location/scale', () => {
    expect(normalPpf(0)).toBe(Number.NEGATIVE_INFINITY)
    expect(normalPpf(1)).toBe(Number.POSITIVE_INFINITY)
    expect(normalPpf(1.5)).toBeNaN()
    expectClose(normalPpf(0.975, 10, 2), 10 + 2 * 1.959963984540054, 1e-14)
    expectClose(normalCdf(12, 10, 2), 0.8413447460685429, 1e-14)
  })
})

describe("Student's t distribution", () => {
  it('matches scipy.stats.t.cdf for integer and fractional df to 1e-10 relative', () => {
    for (const { t, df, cdf } of ref.studentT) expectClose(studentTCdf(t, df), cdf, 1e-10, 1e-300)
  })
})

describe('at huge degrees of freedom (asymptotic forms)', () => {
  it("chi-square cdf and sf match mpmath to 1e-12 relative up to df = 1e15 (Temme's uniform expansion)", () => {
    for (const { x, k, cdf, sf } of ref2.chiSquareLargeDf) {
      expectClose(chiSquareCdf(x, k), cdf, 1e-12, 1e-300)
      expectClose(chiSquareSf(x, k), sf, 1e-12, 1e-300)
    }
  })
  it("Student's t cdf matches mpmath to 1e-12 relative up to df = 1e20 and is the normal cdf at df = Infinity", () => {
    for (const { t, df, cdf } of ref2.studentTLargeDf) expectClose(studentTCdf(t, df), cdf, 1e-12, 1e-300)
    for (const { t, cdf } of ref2.studentTInfiniteDf) {
      expectClose(studentTCdf(t, Number.POSITIVE_INFINITY), cdf, 1e-14, 1e-300)
    }
  })
  it('chi-square at df = Infinity: every finite x lies below the distribution', () => {
    expect(chiSquareSf(1e300, Number.POSITIVE_INFINITY)).toBe(1)
    expect(chiSquareCdf(1e300, Number.POSITIVE_INFINITY)).toBe(0)
    expect(chiSquareSf(Number.POSITIVE_INFINITY, 5)).toBe(0)
  })
})

describe('chi-square distribution', () => {
  it('matches scipy.stats.chi2 cdf and sf to 1e-10 relative', () => {
    for (const { x, k, cdf, sf } of ref.chiSquare) {
      expectClose(chiSquareCdf(x, k), cdf, 1e-10, 1e-300)
      expectClose(chiSquareSf(x, k), sf, 1e-10, 1e-300)
    }
  })
})

describe('Kolmogorov distribution of D_n', () => {
  it('matches scipy.stats.kstwo.sf on every branch (Durbin, Pelz–Good, Smirnov, Ruben–Gambino)', () => {
    for (const { n, x, sf } of ref.kstwo) expectClose(kolmogorovSf(n, x), sf, 1e-7, 1e-13)
  })
})

describe('special functions', () => {
  it('match scipy.special gammaln, gammainc/gammaincc, betainc and erfc', () => {
    for (const { x, value } of ref.special.lnGamma) expectClose(lnGamma(x), value, 1e-13, 1e-14)
    for (const { a, x, p, q } of ref.special.gammaP) {
      expectClose(gammaP(a, x), p, 1e-11, 1e-300)
      expectClose(gammaQ(a, x), q, 1e-11, 1e-300)
    }
    for (const { x, a, b, value } of ref.special.betaInc) expectClose(betaInc(x, a, b), value, 1e-11, 1e-300)
    for (const { x, value } of ref.special.erfc) expectClose(erfc(x), value, 1e-14, 1e-300)
  })
})
