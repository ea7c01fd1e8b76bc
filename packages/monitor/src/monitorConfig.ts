import type { JsonSchema, Slo } from '@modelgate/core'
import { configJsonSchema, durationSchema, loadConfigFile, sloSchema } from '@modelgate/core'
import { z } from 'zod'

/**
 * What a rule can watch in a window. Per-feature metrics take `feature` (a column name; omitted = any feature).
 * `drift_failed` / `quality_failed` are 1 when drift's verdict rule (Holm-corrected across features) fails the
 * window's column drift / data-quality checks.
 */
export const RULE_METRICS = [
  'drift_failed',
  'quality_failed',
  'slo_violated',
  'feature_drifted',
  'feature_drift_score',
  'feature_null_ratio',
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_p99_ms',
  'latency_p999_ms',
  'events',
  'bad_event_ratio',
  'late_events',
  'realized_roc_auc',
  'estimated_roc_auc',
] as const
export type RuleMetric = (typeof RULE_METRICS)[number]

export const alertRuleSchema = z
  .object({
    name: z.string().min(1).max(100),
    metric: z.enum(RULE_METRICS),
    feature: z.string().min(1).optional(),
    op: z.enum(['>', '>=', '<', '<=']),
    threshold: z.number(),
    /** Fires after this many consecutive windows meet the condition. */
    for: z.number().int().min(1).default(1),
    /** After firing, the rule stays quiet for this long (event time). */
    cooldown: durationSchema.optional(),
    /** Webhooks of this rule only (in addition to the global ones). */
    webhooks: z.array(z.string().url()).optional(),
  })
  .strict()

export type AlertRuleInput = z.input<typeof alertRuleSchema>
export type AlertRule = z.output<typeof alertRuleSchema>

const webhookSchema = z
  .object({
    url: z.string().url(),
    /** Extra request headers (e.g. an authorization header for the deploy system). */
    headers: z.record(z.string()).optional(),
    retries: z.number().int().min(0).max(20).optional(),
    timeout: durationSchema.optional(),
  })
  .strict()

export type WebhookTarget = z.output<typeof webhookSchema>

/** `monitor.yaml` (read with core's `loadConfigFile`; its JSON Schema from `monitorConfigJsonSchema`). */
export const monitorConfigSchema = z
  .object({
    version: z.literal(1),
    window: durationSchema.optional(),
    /** Sliding windows: evaluate a `window` every `slide` (a whole divisor of the window). */
    slide: durationSchema.optional(),
    lateness: durationSchema.optional(),
    slo: sloSchema.optional(),
    /** Drift method specs as drift's `--method` (`amount=psi:0.2`, `numeric=ks:0.05`). */
    methods: z.array(z.string()).optional(),
    /** Keep the default rules (data quality, drift, SLO) beside `rules`. Default true. */
    defaultRules: z.boolean().optional(),
    rules: z.array(alertRuleSchema).optional(),
    webhooks: z.array(z.union([z.string().url(), webhookSchema])).optional(),
  })
  .strict()

export type MonitorConfig = z.output<typeof monitorConfigSchema>

export async function loadMonitorConfig(path: string, displayName?: string): Promise<MonitorConfig> {
  return loadConfigFile(path, monitorConfigSchema, displayName === undefined ? {} : { displayName })
}

export function monitorConfigJsonSchema(): JsonSchema {
  return configJsonSchema(monitorConfigSchema, { title: 'modelgate monitor config (monitor.yaml)' })
}

const DEFAULT_COOLDOWN_MS = 5 * 60_000

/**
 * The rules that apply without a config file: a data-quality failure (null-rate rise, unseen categories, missing
 * fields, type changes), drift of any feature (drift's verdict rule, Holm-corrected across features, so 20
 * features do not multiply false alarms), and the SLO when one is given. Each fires on one window, then waits
 * 5 minutes. `drift: false` (no baseline) leaves the first two out.
 */
export function defaultRules(options: { readonly slo?: Slo | undefined; readonly drift?: boolean } = {}): AlertRule[] {
  const rule = (name: string, metric: RuleMetric): AlertRule => ({
    name,
    metric,
    op: '>',
    threshold: 0,
    for: 1,
    cooldown: DEFAULT_COOLDOWN_MS,
  })
  return [
    ...(options.drift === false ? [] : [rule('data-quality', 'quality_failed'), rule('drift', 'drift_failed')]),
    ...(options.slo === undefined ? [] : [rule('slo', 'slo_violated')]),
  ]
}
