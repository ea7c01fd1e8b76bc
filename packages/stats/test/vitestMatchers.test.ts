import '@modelgate/stats/vitest'
import { describe, expect, it } from 'vitest'
import { normals } from './lcg.js'

const baseline = normals(500, 0, 1)
const same = normals(400, 0, 2)
const shifted = normals(400, 0.5, 3)

describe('@modelgate/stats/vitest matchers', () => {
  it('toMatchDistribution passes for the same distribution with each test', () => {
    expect(same).toMatchDistribution(baseline)
    expect(same).toMatchDistribution(baseline, { test: 'ad', alpha: 0.01 })
    expect(same).toMatchDistribution(baseline, { test: 'mannwhitney' })
    expect(shifted).not.toMatchDistribution(baseline, { test: 'ks' })
  })

  it('toMatchDistribution fails with the statistic, p-value, alpha and sizes in the message', () => {
    expect(() => expect(shifted).toMatchDistribution(baseline, { test: 'ks', alpha: 0.05 })).toThrow(
      /\(ks\), but they differ: D = [\d.]+, p = [\d.e-]+ < alpha = 0\.05, n = 400 vs baseline n = 500/,
    )
    expect(() => expect(same).not.toMatchDistribution(baseline)).toThrow(/NOT to match .* p = [\d.]+ ≥ alpha = 0\.05/)
  })

  it('toHavePsiBelow compares PSI with the threshold', () => {
    expect(same).toHavePsiBelow(baseline, 0.2)
    expect(() => expect(shifted).toHavePsiBelow(baseline, 0.1)).toThrow(
      /expected PSI below 0\.1, but PSI = [\d.]+ \(n = 400 vs reference n = 500, 10 bins\)/,
    )
  })

  it('toBeWithinBaselineBand checks mean ± sigmas·sd of the history', () => {
    const history = [0.91, 0.92, 0.9, 0.91, 0.93, 0.92, 0.91]
    expect(0.915).toBeWithinBaselineBand(history, { sigmas: 3 })
    expect(() => expect(0.8).toBeWithinBaselineBand(history, { sigmas: 3 })).toThrow(
      /expected 0\.8 to be within the baseline band \[[\d.]+, [\d.]+\] = mean 0\.9143 ± 3·sd 0\.009759, n = 7; z = -11\.71/,
    )
    expect(0.8).not.toBeWithinBaselineBand(history)
  })

  it('works as asymmetric matchers inside objects', () => {
    expect({ scores: same }).toEqual({ scores: expect.toMatchDistribution(baseline) })
  })
})
