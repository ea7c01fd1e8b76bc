import type { Table } from '@modelgate/core'
import type { MatcherContext, MatcherResult } from '@modelgate/stats'
import type { Baseline } from './baseline.js'
import type { CheckDriftOptions } from './checkDrift.js'
import { checkDrift } from './checkDrift.js'

/** The matcher's type, for `expect.extend` typings. */
export interface DriftMatchers<R = unknown> {
  /** Passes when `checkDrift(baseline, table, options)` does not fail (warnings pass, as at the gate). */
  toMatchBaseline(baseline: Baseline, options?: CheckDriftOptions): R
}

/**
 * `expect(table).toMatchBaseline(baseline, options)` for vitest or jest (`expect.extend(driftMatchers)`; importing
 * `@modelgate/drift/vitest` registers it): the drift gate as an assertion. The failure message lists every failed
 * check of the drift report — column, method, statistic, threshold — never a value of the data.
 */
export const driftMatchers = {
  toMatchBaseline(
    this: MatcherContext,
    received: Table,
    baseline: Baseline,
    options: CheckDriftOptions = {},
  ): MatcherResult {
    const report = checkDrift(baseline, received, options)
    const failed = report.checks.filter((c) => c.verdict === 'fail' || c.verdict === 'inconclusive')
    const pass = report.verdict !== 'fail' && report.verdict !== 'inconclusive'
    return {
      pass,
      message: () =>
        this.isNot
          ? `expected the sample to drift from the baseline, but every check passed (${report.checks.length} checks)`
          : `expected the sample to match the baseline, but ${failed.length} check${failed.length === 1 ? '' : 's'} did not:\n${failed.map((c) => `  ${c.verdict.toUpperCase()} ${c.message}`).join('\n')}`,
      actual: report.verdict,
      expected: 'pass',
    }
  },
}
