// The only file in @modelgate/skew that calls @modelgate/stats: the statistics live there, never here.

import type { TestResult } from '@modelgate/stats'
import { benjaminiHochberg, jensenShannon, ksTest, psi, psiCategorical, tostPaired } from '@modelgate/stats'
import type { TestSummary } from '../types.js'

function summary(result: TestResult): TestSummary {
  return {
    test: result.test,
    statistic: result.statistic,
    ...(result.pValue === undefined || Number.isNaN(result.pValue) ? {} : { pValue: result.pValue }),
    threshold: result.threshold,
    passed: result.passed,
  }
}

export function numericTests(
  batch: Float64Array,
  online: Float64Array,
  options: { readonly alpha: number; readonly psiThreshold: number },
): TestSummary[] {
  // An all-null feature has no values: the tests do not apply (the stats functions reject empty samples).
  if (batch.length === 0 || online.length === 0) return []
  return [
    summary(ksTest(batch, online, { alpha: options.alpha })),
    summary(psi(batch, online, { threshold: options.psiThreshold })),
  ]
}

export function categoricalTests(
  batch: ReadonlyMap<string, number>,
  online: ReadonlyMap<string, number>,
  options: { readonly jsThreshold: number; readonly psiThreshold: number },
): TestSummary[] {
  if (batch.size === 0 || online.size === 0) return []
  return [
    summary(jensenShannon(batch, online, { threshold: options.jsThreshold })),
    summary(psiCategorical(batch, online, { threshold: options.psiThreshold })),
  ]
}

/** TOST equivalence of paired values (Schuirmann 1987) with margin ±margin on online − batch. */
export function equivalenceTest(
  batch: Float64Array,
  online: Float64Array,
  options: { readonly margin: number; readonly alpha: number },
): TestSummary | null {
  if (batch.length < 2) return null
  // Identical pairs have zero variance: the t statistic is undefined, but the mean difference (0) is
  // inside any positive margin with certainty.
  let identical = true
  for (let i = 0; i < batch.length; i++) {
    if (batch[i] !== online[i]) {
      identical = false
      break
    }
  }
  if (identical) return { test: 'tost', statistic: 0, pValue: 0, threshold: options.alpha, passed: options.margin > 0 }
  const differences = new Float64Array(batch.length)
  for (let i = 0; i < batch.length; i++) differences[i] = (online[i] as number) - (batch[i] as number)
  return summary(tostPaired(differences, { margin: options.margin, alpha: options.alpha }))
}

/** Benjamini–Hochberg adjusted p-values (q-values), in input order. */
export function adjustPValues(pValues: readonly number[]): number[] {
  if (pValues.length === 0) return []
  return [...benjaminiHochberg(pValues).adjusted]
}
