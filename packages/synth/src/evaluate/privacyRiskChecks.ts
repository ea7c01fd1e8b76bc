import type { CheckResult, Verdict } from '@modelgate/core'
import { formatCount, formatNumber, formatPercent } from '@modelgate/core'
import type { InferenceResult } from './inferenceRisk.js'
import type { LinkabilityResult } from './linkabilityRisk.js'
import type { MembershipResult } from './membershipInference.js'
import type { PrivacyRisk } from './privacyRisk.js'
import { roundScore as round } from './roundScore.js'
import type { SinglingOutResult } from './singlingOutRisk.js'

interface Results {
  readonly singlingOut: { readonly univariate: SinglingOutResult; readonly multivariate: SinglingOutResult }
  readonly linkability: LinkabilityResult | null
  readonly inference: InferenceResult
  readonly membership: MembershipResult
}

interface Limits {
  readonly maxRisk: number
  readonly maxMembershipAuc: number
  readonly confidence: number
  readonly trainRows: number
  readonly controlRows: number
  readonly syntheticRows: number
}

/**
 * Fails when the whole confidence interval lies above the limit (a leak that large is established); warns when the
 * best estimate is above the limit and the interval excludes no leak at all (`none`: risk 0, AUC 0.5) — a leak is
 * measured, its size uncertain; passes otherwise (the interval in the message shows what is ruled out).
 */
export function verdictFor(value: number, low: number, limit: number, none = 0): Verdict {
  return low > limit ? 'fail' : value > limit && low > none ? 'warn' : 'pass'
}

/** The check that stands for the attacks when there is no holdout to run them against. */
export const PRIVACY_ATTACKS_NOT_RUN: CheckResult = {
  id: 'synth.privacy.attacks',
  name: 'Privacy attacks',
  group: 'Privacy',
  verdict: 'warn',
  message:
    'not measured: singling out, linkability and attribute and membership inference need real rows the synthesizer never saw (a holdout)',
}

/** Report checks and summary figures for the privacy attacks: column names and numbers, never a value. */
export function privacyRiskChecks(
  results: Results,
  limits: Limits,
): { checks: CheckResult[]; summary: Record<string, number> } {
  const { maxRisk } = limits
  const ci = `${Math.round(limits.confidence * 100)}% CI`
  const fmtRisk = (r: PrivacyRisk): string =>
    `${formatNumber(r.value, { decimals: 2 })} (${ci} ${formatNumber(r.low, { decimals: 2 })}–${formatNumber(r.high, { decimals: 2 })})`
  const riskMetrics = (r: PrivacyRisk): Record<string, number> => ({
    risk: round(r.value),
    ciLow: round(r.low),
    ciHigh: round(r.high),
    trainSuccessRate: round(r.attack.value),
    controlSuccessRate: round(r.control.value),
    attacks: r.attack.trials,
    threshold: maxRisk,
  })
  const noBetter = (r: PrivacyRisk, baseline: number): string =>
    r.attack.value <= baseline
      ? '; the attack did no better than random guessing, so this risk may be underestimated'
      : ''
  const checks: CheckResult[] = []
  // Nothing to attack is not a pass: with no synthetic rows every attack is skipped, saying why.
  const noSynthetic = limits.syntheticRows === 0
  const notMeasured = 'not measured: no synthetic rows'

  for (const s of [results.singlingOut.univariate, results.singlingOut.multivariate]) {
    const r = s.risk
    const predicates = r.attack.trials
    const leaking = s.columns
      .slice(0, 5)
      .map((c) => `${c.name} (${c.predicates})`)
      .join(', ')
    checks.push({
      id: `synth.privacy.singling_out.${s.mode}`,
      name: `Singling out (${s.mode === 'univariate' ? 'one column' : `${s.nCols} columns`})`,
      group: 'Privacy',
      verdict: predicates === 0 ? 'skip' : verdictFor(r.value, r.low, maxRisk),
      message:
        predicates === 0
          ? 'not measured: no predicate singles out a synthetic row'
          : `risk ${fmtRisk(r)}: of ${predicates} predicates that each fit one synthetic row, ${s.trainSuccesses} fit exactly one of ${formatCount(s.trainRows)} training rows vs ${s.controlSuccesses} one of ${formatCount(s.controlRows)} control rows` +
            (s.trainRows === s.controlRows
              ? ''
              : s.scale > 1
                ? ` (compared at ${formatCount(s.size)} rows: ${formatNumber(r.attack.successes, { decimals: 1 })} expected on the training side, risk × ${formatNumber(s.scale, { decimals: 2 })})`
                : ` (compared at ${formatCount(s.size)} rows: ${formatNumber(r.control.successes, { decimals: 1 })} expected on the control side)`) +
            (leaking === '' ? '' : `; those singling out a training row and no control row use ${leaking}`) +
            (s.skipped.length === 0 ? '' : `; identifiers not used in predicates: ${s.skipped.join(', ')}`) +
            noBetter(r, s.baseline.value),
      metrics: {
        ...riskMetrics(r),
        baselineSuccessRate: round(s.baseline.value),
        comparedAtRows: s.size,
        scale: round(s.scale),
      },
      details: { columns: s.columns, skipped: s.skipped },
    })
  }

  const link = results.linkability
  if (link !== null) {
    const r = link.risk
    checks.push({
      id: 'synth.privacy.linkability',
      name: 'Linkability',
      group: 'Privacy',
      verdict: noSynthetic ? 'skip' : verdictFor(r.value, r.low, maxRisk),
      message: noSynthetic
        ? notMeasured
        : `risk ${fmtRisk(r)}: ${link.neighbors === 1 ? 'the nearest synthetic row links' : `the ${link.neighbors} nearest synthetic rows link`} the two halves of ${formatNumber(r.attack.successes, { decimals: 0 })} of ${r.attack.trials} training rows vs ${formatNumber(r.control.successes, { decimals: 0 })} of ${r.control.trials} control rows; ` +
          `halves {${link.columns[0].join(', ')}} and {${link.columns[1].join(', ')}}` +
          noBetter(r, link.baseline.value),
      metrics: { ...riskMetrics(r), baselineSuccessRate: round(link.baseline.value) },
      details: { columns: link.columns, neighbors: link.neighbors },
    })
  }

  const inference = [...results.inference.columns].sort((a, b) => b.risk.value - a.risk.value)
  const top = inference[0]
  if (top !== undefined) {
    const flagged = inference.filter((c) => c.risk.value > maxRisk)
    const verdicts = inference.map((c) => verdictFor(c.risk.value, c.risk.low, maxRisk))
    const worst = (['fail', 'warn'] as const).find((v) => verdicts.includes(v)) ?? 'pass'
    const verdict: Verdict = noSynthetic ? 'skip' : worst
    checks.push({
      id: 'synth.privacy.inference',
      name: 'Attribute inference',
      group: 'Privacy',
      verdict,
      message: noSynthetic
        ? notMeasured
        : (flagged.length === 0
            ? `highest risk ${top.column} ${fmtRisk(top.risk)}`
            : `${flagged.length} of ${inference.length} columns at risk above ${maxRisk}: ${flagged
                .slice(0, 8)
                .map((c) => `${c.column} ${fmtRisk(c.risk)}`)
                .join(', ')}${flagged.length > 8 ? ', …' : ''}`) +
          ` (each column guessed from all the others through the nearest synthetic row, ${results.inference.targets} training vs ${results.inference.targets} control rows)`,
      metrics: { ...riskMetrics(top.risk), columnsAboveThreshold: flagged.length },
      details: {
        columns: inference.map((c) => ({
          column: c.column,
          risk: round(c.risk.value),
          ciLow: round(c.risk.low),
          ciHigh: round(c.risk.high),
          trainSuccessRate: round(c.risk.attack.value),
          controlSuccessRate: round(c.risk.control.value),
          baselineSuccessRate: round(c.baseline.value),
        })),
      },
      charts: [
        {
          kind: 'bars',
          title: `Attribute inference risk by secret column (${ci})`,
          labels: inference.map((c) => c.column),
          series: [
            { name: 'risk', values: inference.map((c) => round(c.risk.value)) },
            { name: 'CI low', values: inference.map((c) => round(c.risk.low)) },
            { name: 'CI high', values: inference.map((c) => round(c.risk.high)) },
          ],
        },
      ],
    })
  }

  const mia = results.membership
  const agreeing = mia.columns
    .slice(0, 5)
    .map((c) => `${c.name} (${formatPercent(c.train, 0)} vs ${formatPercent(c.control, 0)})`)
    .join(', ')
  checks.push({
    id: 'synth.privacy.membership_inference',
    name: 'Membership inference',
    group: 'Privacy',
    verdict: mia.rows === 0 ? 'skip' : verdictFor(mia.auc, mia.low, limits.maxMembershipAuc, 0.5),
    message:
      mia.rows === 0
        ? noSynthetic
          ? notMeasured
          : 'not measured: no rows'
        : `ROC AUC ${formatNumber(mia.auc, { decimals: 2 })} (${ci} ${formatNumber(mia.low, { decimals: 2 })}–${formatNumber(mia.high, { decimals: 2 })}, fail above ${limits.maxMembershipAuc}) telling ${mia.rows} training rows from ${mia.rows} control rows by the distance to their closest synthetic row; ` +
          `${formatPercent(mia.exactTrain, 0)} of training rows vs ${formatPercent(mia.exactControl, 0)} of control rows have an exact copy; ` +
          `a distance threshold catches ${formatPercent(mia.truePositiveRate, 0)} of training rows at ${formatPercent(mia.falsePositiveRate, 0)} false positives` +
          (agreeing === '' ? '' : `; closest synthetic rows agree with training rows more often on ${agreeing}`),
    metrics: {
      auc: round(mia.auc),
      ciLow: round(mia.low),
      ciHigh: round(mia.high),
      threshold: limits.maxMembershipAuc,
      rows: mia.rows,
      truePositiveRate: round(mia.truePositiveRate),
      falsePositiveRate: round(mia.falsePositiveRate),
      exactCopyRateTrain: round(mia.exactTrain),
      exactCopyRateControl: round(mia.exactControl),
    },
    details: { columns: mia.columns.map((c) => ({ ...c, train: round(c.train), control: round(c.control) })) },
  })

  const summary: Record<string, number> = {
    singlingOutRisk: round(
      Math.max(results.singlingOut.univariate.risk.value, results.singlingOut.multivariate.risk.value),
    ),
    inferenceRisk: round(top?.risk.value ?? 0),
    membershipAuc: round(mia.auc),
  }
  if (link !== null) summary.linkabilityRisk = round(link.risk.value)
  return { checks, summary }
}
