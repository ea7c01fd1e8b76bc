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

function attempt(run: () => TestResult): TestSummary | null {
  try {
    return summary(run())
  } catch {
    // Too few values (e.g. an all-null feature): the test does not apply.
    return null
  }
}

export function numericTests(
  batch: Float64Array,
  online: Float64Array,
  options: { readonly alpha: number; readonly psiThreshold: number },
): TestSummary[] {
  const out: TestSummary[] = []
  if (batch.length === 0 || online.length === 0) return out
  const ks = attempt(() => ksTest(batch, online, { alpha: options.alpha }))
  if (ks !== null) out.push(ks)
  const p = attempt(() => psi(batch, online, { threshold: options.psiThreshold }))
  if (p !== null) out.push(p)
  return out
}

export function categoricalTests(
  batch: ReadonlyMap<string, number>,
  online: ReadonlyMap<string, number>,
  options: { readonly jsThreshold: number; readonly psiThreshold: number },
): TestSummary[] {
  const out: TestSummary[] = []
  if (batch.size === 0 || online.size === 0) return out
  const js = attempt(() => jensenShannon(batch, online, { threshold: options.jsThreshold }))
  if (js !== null) out.push(js)
  const p = attempt(() => psiCategorical(batch, online, { threshold: options.psiThreshold }))
  if (p !== null) out.push(p)
  return out
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
  return attempt(() => tostPaired(differences, { margin: options.margin, alpha: options.alpha }))
}

/** Benjamini–Hochberg adjusted p-values (q-values), in input order. */
export function adjustPValues(pValues: readonly number[]): number[] {
  if (pValues.length === 0) return []
  return [...benjaminiHochberg(pValues).adjusted]
}
