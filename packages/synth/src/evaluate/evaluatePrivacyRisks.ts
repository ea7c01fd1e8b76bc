import type { ArgumentShape, CheckResult, Table } from '@modelgate/core'
import { checkArgument, createRandom } from '@modelgate/core'
import { z } from 'zod'
import { SynthError } from '../errors.js'
import { privacyRisksShape } from '../internal/arguments.js'
import type { AttackInput } from './attackInput.js'
import type { AttackTable } from './encodeAttackTables.js'
import { encodeAttackTables } from './encodeAttackTables.js'
import type { InferenceResult } from './inferenceRisk.js'
import { inferenceRisk } from './inferenceRisk.js'
import type { LinkabilityResult } from './linkabilityRisk.js'
import { linkabilityRisk } from './linkabilityRisk.js'
import type { MembershipResult } from './membershipInference.js'
import { membershipInference } from './membershipInference.js'
import { privacyRiskChecks } from './privacyRiskChecks.js'
import type { SinglingOutResult } from './singlingOutRisk.js'
import { singlingOutRisk } from './singlingOutRisk.js'

/** How hard the attacks try and where they fail; every field has a documented default. */
export interface PrivacyRiskSettings {
  /** Targets (predicates for singling out) per attack. Default 500, as Anonymeter. */
  readonly attacks?: number
  /**
   * A risk whose confidence interval lies wholly above this fails; one whose best estimate is above it, with an
   * interval clear of 0, warns. Default 0.1.
   */
  readonly maxRisk?: number
  /** The same rule for the membership-inference ROC AUC (no leak: 0.5). Default 0.6. */
  readonly maxMembershipAuc?: number
  /** Confidence of every interval. Default 0.95. */
  readonly confidence?: number
  /** The two halves of a record for linkability (disjoint). Default: the columns taken alternately. */
  readonly linkability?: readonly [readonly string[], readonly string[]]
  /** Columns per multivariate singling-out predicate. Default 3, as Anonymeter. */
  readonly singlingOutColumns?: number
}

export interface PrivacyRiskOptions extends PrivacyRiskSettings {
  /** The rows the generator learned from. */
  readonly train: Table
  /** Real rows of the same source the generator never saw (the paper's control set; our holdout). */
  readonly control: Table
  readonly synthetic: Table
  /** Columns the attacker works with. Default: every column of `train` (PII included: a copied one is a leak). */
  readonly columns?: readonly string[]
  /**
   * Direct identifiers (the PII columns a synthesizer regenerates): left out of singling-out predicates, which they
   * could only dilute; the other attacks still use them. Identifier-like columns are left out as well.
   */
  readonly identifiers?: readonly string[]
  readonly seed?: number
}

export interface PrivacyRiskEvaluation {
  readonly singlingOut: { readonly univariate: SinglingOutResult; readonly multivariate: SinglingOutResult }
  /** Null with fewer than two columns (nothing to link). */
  readonly linkability: LinkabilityResult | null
  readonly inference: InferenceResult
  readonly membership: MembershipResult
  /** Report checks (group `Privacy`): column names and figures only, never a value. */
  readonly checks: readonly CheckResult[]
  readonly summary: Readonly<Record<string, number>>
  /** Milliseconds spent per attack (encoding included in the first). */
  readonly timings: Readonly<Record<'singlingOut' | 'linkability' | 'inference' | 'membership', number>>
}

const optionsArgument = z.object(privacyRisksShape satisfies ArgumentShape<PrivacyRiskOptions>)

export const PRIVACY_RISK_DEFAULTS = {
  attacks: 500,
  maxRisk: 0.1,
  maxMembershipAuc: 0.6,
  confidence: 0.95,
  singlingOutColumns: 3,
} as const

/**
 * Attacks the synthetic data the way the Anonymeter paper does (Giomi et al., "A Unified Framework for
 * Quantifying Privacy Risk in Synthetic Data", PoPETs 2023) — singling out (univariate and multivariate),
 * linkability and attribute inference, each run against the training rows and against control rows, risk =
 * (success on training − success on control) / (1 − success on control) with Wilson intervals — plus a
 * distance-based membership-inference attack. Our own implementation of the paper's definitions.
 */
export function evaluatePrivacyRisks(options: PrivacyRiskOptions): PrivacyRiskEvaluation {
  checkArgument(optionsArgument, options, { call: 'evaluatePrivacyRisks(options)', name: 'options' })
  const started = performance.now()
  const attacks = options.attacks ?? PRIVACY_RISK_DEFAULTS.attacks
  const confidence = options.confidence ?? PRIVACY_RISK_DEFAULTS.confidence
  const seed = options.seed ?? 0
  if (!(attacks >= 1) || !Number.isInteger(attacks))
    throw new SynthError('MG_SYNTH_BAD_OPTION', `attacks must be a positive integer, got ${attacks}.`)
  if (!(confidence > 0 && confidence < 1))
    throw new SynthError('MG_SYNTH_BAD_OPTION', `confidence must be in (0, 1), got ${confidence}.`)
  const names = options.columns ?? options.train.columns.map((c) => c.name)
  const encoded = encodeAttackTables(names, [options.train, options.control, options.synthetic])
  const [train, control, synthetic] = encoded.tables as [AttackTable, AttackTable, AttackTable]
  const input = (stream: number): AttackInput => ({
    columns: encoded.columns,
    train,
    control,
    synthetic,
    attacks,
    confidence,
    random: createRandom(seed, 'privacy-attacks', stream),
  })
  const split = linkabilitySplit(
    encoded.columns.map((c) => c.name),
    options.linkability,
  )
  const identifiers = new Set(options.identifiers ?? [])
  const exclude = encoded.columns.flatMap((c, j) => (identifiers.has(c.name) ? [j] : []))
  const univariate = singlingOutRisk(input(1), { mode: 'univariate', exclude })
  const multivariate = singlingOutRisk(input(2), {
    mode: 'multivariate',
    nCols: options.singlingOutColumns ?? PRIVACY_RISK_DEFAULTS.singlingOutColumns,
    exclude,
  })
  const t1 = performance.now()
  const linkability = split === null ? null : linkabilityRisk(input(3), { split })
  const t2 = performance.now()
  const inference = inferenceRisk(input(4))
  const t3 = performance.now()
  const membership = membershipInference(input(5))
  const t4 = performance.now()
  const timings = { singlingOut: t1 - started, linkability: t2 - t1, inference: t3 - t2, membership: t4 - t3 }
  const report = privacyRiskChecks(
    { singlingOut: { univariate, multivariate }, linkability, inference, membership },
    {
      maxRisk: options.maxRisk ?? PRIVACY_RISK_DEFAULTS.maxRisk,
      maxMembershipAuc: options.maxMembershipAuc ?? PRIVACY_RISK_DEFAULTS.maxMembershipAuc,
      confidence,
      trainRows: options.train.numRows,
      controlRows: options.control.numRows,
      syntheticRows: options.synthetic.numRows,
    },
  )
  return { singlingOut: { univariate, multivariate }, linkability, inference, membership, ...report, timings }
}

function linkabilitySplit(
  names: readonly string[],
  given: readonly [readonly string[], readonly string[]] | undefined,
): [number[], number[]] | null {
  if (given === undefined) {
    if (names.length < 2) return null
    const all = names.map((_, j) => j)
    return [all.filter((j) => j % 2 === 0), all.filter((j) => j % 2 === 1)]
  }
  const index = (name: string): number => {
    const j = names.indexOf(name)
    if (j < 0)
      throw new SynthError('MG_SYNTH_UNKNOWN_COLUMN', `Linkability column "${name}" is not a column of the data.`, {
        hint: `Name columns of the training table: ${names.join(', ')}.`,
      })
    return j
  }
  const [a, b] = [given[0].map(index), given[1].map(index)]
  if (a.length === 0 || b.length === 0 || a.some((j) => b.includes(j)))
    throw new SynthError('MG_SYNTH_BAD_OPTION', 'Linkability needs two non-empty sets of columns that share no column.')
  return [a, b]
}
