import type { AttackInput } from './attackInput.js'
import { distinctRows, takeAttackRows } from './encodeAttackTables.js'
import type { PrivacyRisk, SuccessRate } from './privacyRisk.js'
import { privacyRisk, successRate } from './privacyRisk.js'
import type { Predicate } from './singlingOut.js'
import {
  controlSuccessesAtSize,
  createRowMatcher,
  multivariatePredicates,
  randomPredicates,
  univariatePredicates,
} from './singlingOut.js'

export interface SinglingOutResult {
  readonly mode: 'univariate' | 'multivariate'
  /** Columns per predicate (1 for univariate). */
  readonly nCols: number
  readonly risk: PrivacyRisk
  /** The random-predicate attacker's success on the training rows (the paper's sanity check). */
  readonly baseline: SuccessRate
  /** Predicates that single out one training row, and one control row (raw, before the size correction). */
  readonly trainSuccesses: number
  readonly controlSuccesses: number
  /** Distinct training and control rows the predicates were judged on. */
  readonly trainRows: number
  readonly controlRows: number
  /** Columns of the predicates that single out a training row and no control row, most used first. */
  readonly columns: readonly { readonly name: string; readonly predicates: number }[]
}

/**
 * Singling out as the Anonymeter paper measures it: predicates that each single out one synthetic row are
 * tried on the training rows and on the control rows (duplicate rows removed from each, as Anonymeter does); a
 * predicate succeeds when it matches exactly one row. The control count is brought to the training set's size
 * (see `controlSuccessesAtSize`) before the risk is formed.
 */
export function singlingOutRisk(
  input: AttackInput,
  options: { mode: 'univariate' | 'multivariate'; nCols?: number; maxAttempts?: number },
): SinglingOutResult {
  const { columns, random } = input
  const nCols = options.mode === 'univariate' ? 1 : (options.nCols ?? 3)
  const synthetic = takeAttackRows(input.synthetic, distinctRows(input.synthetic))
  const train = takeAttackRows(input.train, distinctRows(input.train))
  const control = takeAttackRows(input.control, distinctRows(input.control))
  const predicates =
    options.mode === 'univariate'
      ? univariatePredicates(synthetic, columns, input.attacks, random)
      : multivariatePredicates(synthetic, columns, {
          count: input.attacks,
          nCols,
          maxAttempts: options.maxAttempts ?? input.attacks * 100,
          random,
        })
  const trainMatcher = createRowMatcher(train, columns)
  const controlMatcher = createRowMatcher(control, columns)
  const singles = (p: Predicate): boolean => trainMatcher.count(p, 2) === 1
  const onTrain = predicates.map(singles)
  const controlMatches = predicates.map((p) => controlMatcher.count(p))
  const trainSuccesses = onTrain.filter(Boolean).length
  const controlSuccesses = controlMatches.filter((c) => c === 1).length
  const corrected = Math.min(predicates.length, controlSuccessesAtSize(controlMatches, control.rows, train.rows))
  const baseline = randomPredicates(synthetic, columns, { count: predicates.length, nCols, random }).filter(singles)

  const used = new Map<number, number>()
  predicates.forEach((p, i) => {
    if (onTrain[i] !== true || controlMatches[i] === 1) return
    for (const c of p) used.set(c.column, (used.get(c.column) ?? 0) + 1)
  })
  return {
    mode: options.mode,
    nCols,
    risk: privacyRisk(
      successRate(trainSuccesses, predicates.length, input.confidence),
      successRate(corrected, predicates.length, input.confidence),
    ),
    baseline: successRate(baseline.length, predicates.length, input.confidence),
    trainSuccesses,
    controlSuccesses,
    trainRows: train.rows,
    controlRows: control.rows,
    columns: [...used]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .map(([j, n]) => ({ name: columns[j]?.name ?? '', predicates: n })),
  }
}
