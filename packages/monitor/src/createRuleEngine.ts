import { createHash } from 'node:crypto'
import { ruleValues } from './internal/ruleValues.js'
import type { AlertRule } from './monitorConfig.js'
import type { Alert, WindowSummary } from './types.js'

export interface RuleEngine {
  /** Judges every rule on a closed window (in window order); returns the alerts that fire. */
  evaluate(window: WindowSummary): Alert[]
  /** Replaces the rules (new thresholds after a calibration); streaks and cool-downs carry over by rule name. */
  setRules(rules: readonly AlertRule[]): void
}

const compare = (op: AlertRule['op'], value: number, threshold: number): boolean =>
  op === '>'
    ? value > threshold
    : op === '>='
      ? value >= threshold
      : op === '<'
        ? value < threshold
        : value <= threshold

/**
 * Rules with memory: a rule fires when its condition holds on `for` consecutive windows (a window without the
 * metric breaks the streak) and it has not fired within `cooldown` (event time, so a replay behaves as live
 * traffic). An alert's id is the idempotency key: a hash of the rule name and the window start.
 */
export function createRuleEngine(initial: readonly AlertRule[]): RuleEngine {
  let rules = initial
  const streak = new Map<string, number>()
  const lastFired = new Map<string, number>()
  return {
    setRules(next) {
      rules = next
    },
    evaluate(window) {
      const alerts: Alert[] = []
      for (const rule of rules) {
        const hits = ruleValues(window, rule.metric, rule.feature).filter((v) =>
          compare(rule.op, v.value, rule.threshold),
        )
        const n = hits.length > 0 ? (streak.get(rule.name) ?? 0) + 1 : 0
        streak.set(rule.name, n)
        if (n < rule.for) continue
        const last = lastFired.get(rule.name)
        if (last !== undefined && window.end - last < (rule.cooldown ?? 0)) continue
        lastFired.set(rule.name, window.end)
        // The worst hit names the evidence (largest value for > / >=, smallest for < / <=).
        const worst = hits.reduce((a, b) => ((rule.op.startsWith('>') ? b.value > a.value : b.value < a.value) ? b : a))
        alerts.push({
          id: createHash('sha256').update(`${rule.name}\u0000${window.start}`).digest('hex').slice(0, 32),
          rule: rule.name,
          metric: rule.metric,
          ...(worst.feature === undefined ? {} : { feature: worst.feature }),
          op: rule.op,
          threshold: rule.threshold,
          value: worst.value,
          window: { start: new Date(window.start).toISOString(), end: new Date(window.end).toISOString() },
          firedAt: new Date(window.evaluatedAt).toISOString(),
          evidence: {
            verdict: window.verdict,
            events: window.events,
            failures: window.drift?.failures ?? [],
            consecutiveWindows: n,
          },
        })
      }
      return alerts
    },
  }
}
