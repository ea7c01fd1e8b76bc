import type { Verdict } from './Report.js'

export interface VerdictExitOptions {
  /** An inconclusive verdict (not enough data to judge) exits 0 instead of 1. */
  readonly allowInconclusive?: boolean
  /** Warnings exit 2 instead of 0. */
  readonly strict?: boolean
}

/**
 * The process exit code for a verdict — the one place this is decided: 0 pass, warn or skip; 1 fail; 1
 * inconclusive unless `allowInconclusive` (then 0); warn is 2 with `strict`. Bad input and usage errors exit 2
 * through `ModelGateError`, before any verdict exists.
 */
export function verdictExitCode(verdict: Verdict, options: VerdictExitOptions = {}): 0 | 1 | 2 {
  switch (verdict) {
    case 'fail':
      return 1
    case 'inconclusive':
      return options.allowInconclusive === true ? 0 : 1
    case 'warn':
      return options.strict === true ? 2 : 0
    case 'pass':
    case 'skip':
      return 0
  }
}
