import type { CommandSpec } from './Command.js'

/**
 * Command groups, loaded lazily so that `modelgate skew` never loads ONNX Runtime, TensorFlow.js or Pact.
 * Each module exports `commands: readonly CommandSpec[]`.
 */
export interface CommandGroup {
  readonly name: string
  readonly summary: string
  readonly load: () => Promise<readonly CommandSpec[]>
}

export const COMMAND_GROUPS: readonly CommandGroup[] = [
  {
    name: 'profile',
    summary: 'Profile a data file (per-column summary, PII-safe)',
    load: async () => (await import('./commands/profile.js')).commands,
  },
  {
    name: 'schema',
    summary: 'Draft an annotated schema from data, export JSON Schema',
    load: async () => (await import('./commands/schema.js')).commands,
  },
  {
    name: 'synth',
    summary: 'Train privacy-safe synthesizers, generate and evaluate synthetic data',
    load: async () => (await import('./commands/synth.js')).commands,
  },
  {
    name: 'contracts',
    summary: 'Pact contracts and distribution expectations for feature payloads',
    load: async () => (await import('./commands/contracts.js')).commands,
  },
  {
    name: 'skew',
    summary: 'Compare batch (training) and online (serving) feature paths',
    load: async () => (await import('./commands/skew.js')).commands,
  },
  {
    name: 'monitor',
    summary: 'Serve a streaming drift and SLA monitor (Prometheus metrics, alert webhooks)',
    load: async () => (await import('./commands/monitor.js')).commands,
  },
  {
    name: 'drift',
    summary: 'Drift baselines and the drift gate: data drift, data quality and prediction drift against a baseline',
    load: async () => (await import('./commands/drift.js')).commands,
  },
  {
    name: 'load',
    summary: 'Open-model load test of an endpoint against latency SLOs (replayed traffic shapes, shards)',
    load: async () => (await import('./commands/load.js')).commands,
  },
  {
    name: 'gate',
    summary: 'Run every check of a gate config (modelgate.yaml) and return one report; `gate init` drafts one',
    load: async () => (await import('./commands/gate.js')).commands,
  },
  {
    name: 'shadow',
    summary: 'Shadow proxy: mirror live traffic to a candidate model, compare its answers, judge the canary',
    load: async () => (await import('./commands/shadow.js')).commands,
  },
]
