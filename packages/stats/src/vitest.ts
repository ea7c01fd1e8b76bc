/**
 * Vitest matchers for statistical assertions on model outputs.
 *
 * This entry is meant for test setup: importing it registers the matchers with vitest's `expect`
 * (the one deliberate import side effect in @modelgate/stats). Add it to `setupFiles`, or
 * `import '@modelgate/stats/vitest'` at the top of a test file:
 *
 *   expect(scores).toMatchDistribution(baseline, { test: 'ks', alpha: 0.05 })
 *   expect(current).toHavePsiBelow(reference, 0.2)
 *   expect(latencyP99).toBeWithinBaselineBand(history, { sigmas: 3 })
 */
import { expect } from 'vitest'
import { type ModelGateMatchers, modelgateMatchers } from './matchers.js'

/** Registers the matchers on the given `expect` (vitest's by default). Safe to call more than once. */
export function installMatchers(target: { extend(matchers: object): void } = expect): void {
  target.extend(modelgateMatchers)
}

installMatchers()

export type { BaselineBandOptions, MatchDistributionOptions, ModelGateMatchers } from './matchers.js'
export { modelgateMatchers }

declare module 'vitest' {
  // biome-ignore lint/suspicious/noExplicitAny: mirrors vitest's own Assertion<T = any>
  interface Assertion<T = any> extends ModelGateMatchers<T> {}
  interface AsymmetricMatchersContaining extends ModelGateMatchers {}
}
