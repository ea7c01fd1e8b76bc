import { readFileSync } from 'node:fs'
import { expect } from 'vitest'

/** scipy reference values written by scripts/make-stats-fixtures.py. */
// biome-ignore lint/suspicious/noExplicitAny: JSON fixture
export const ref: any = JSON.parse(readFileSync(new URL('./fixtures/scipy-reference.json', import.meta.url), 'utf8'))

/** |actual − expected| ≤ abs + rel·|expected|. */
export function expectClose(actual: number | undefined, expected: number, rel: number, abs = 0): void {
  expect(actual).toBeTypeOf('number')
  const a = actual as number
  const tol = abs + rel * Math.abs(expected)
  if (!(Math.abs(a - expected) <= tol)) {
    expect.fail(
      `expected ${a} to be within ${tol.toExponential(2)} of ${expected} (diff ${Math.abs(a - expected).toExponential(3)})`,
    )
  }
}

/**
 * The second reference file (same script): the audit of issue #14 and the methods added for drift and shadow —
 * exact fractions (Mann–Whitney), mpmath at 50 digits (chi-square and Student t at huge df) and scipy.
 */
// biome-ignore lint/suspicious/noExplicitAny: JSON fixture
export const ref2: any = JSON.parse(
  readFileSync(new URL('./fixtures/scipy-mpmath-reference.json', import.meta.url), 'utf8'),
)
