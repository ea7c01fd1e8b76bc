import { relative } from 'node:path'
import type { Table } from '@modelgate/core'
import { inferSchema } from '@modelgate/core'
import { buildBaseline } from '@modelgate/drift'
import { gateConfigJsonSchema } from './gateConfig.js'

export interface DraftGateConfigOptions {
  /** The data file the draft names (a healthy sample: the reference, and the candidate until a new one is given). */
  readonly dataFile: string
  readonly endpoint: string
  /** The folder the config is written to (paths in it are relative to it). */
  readonly configDir: string
  /**
   * File names of the draft. Defaults `modelgate.yaml`, `request.schema.json`, `baseline.json`, and
   * `modelgate.schema.json` (the config's JSON Schema, named in its first line for editors).
   */
  readonly names?: {
    readonly config?: string
    readonly schema?: string
    readonly baseline?: string
    readonly configSchema?: string
  }
}

export interface DraftGateConfig {
  /**
   * The files to write, in order (the config last): the inferred request schema, the baseline, the config's JSON
   * Schema, the config.
   */
  readonly files: readonly { readonly name: string; readonly content: string }[]
  /** Schema inference's warnings (untagged PII, constant columns …), to review. */
  readonly warnings: readonly string[]
}

/**
 * Drafts a gate config from a data sample and an endpoint: the request schema inferred from the data (PII columns
 * tagged, rare values left out), a drift baseline built from it, and a `modelgate.yaml` with the `expectations`,
 * `drift` and `load` checks wired to them — a starting point to review, not a verdict on anything.
 */
export function draftGateConfig(table: Table, options: DraftGateConfigOptions): DraftGateConfig {
  const names = {
    config: options.names?.config ?? 'modelgate.yaml',
    schema: options.names?.schema ?? 'request.schema.json',
    baseline: options.names?.baseline ?? 'baseline.json',
    configSchema: options.names?.configSchema ?? 'modelgate.schema.json',
  }
  const data = relative(options.configDir, options.dataFile) || options.dataFile
  const { schema, warnings } = inferSchema(table)
  const baseline = buildBaseline(table, { schema, name: data })
  const q = (s: string): string => JSON.stringify(s)
  const config = `# yaml-language-server: $schema=${names.configSchema}
# Drafted by \`modelgate gate init\`: review it, then run \`modelgate gate --config ${names.config}\`.
version: 1
endpoint: ${q(options.endpoint)}
schemas:
  request: ${q(names.schema)} # inferred: check the kinds, bounds and PII tags
data:
  reference: ${q(data)} # a healthy sample
  candidate: ${q(data)} # the sample to judge: point it at the new release's payloads
baseline: ${q(names.baseline)} # moves only with \`modelgate gate --update-baseline\`
checks:
  - id: expectations # distribution contract: null rates, categories, quantile bands
    type: expectations
  - id: drift # the candidate sample against the baseline
    type: drift
  - id: load # SLA under load; timing checks run alone, after the others
    type: load
    rate: 50/s
    duration: 10s
    warmup: 2s
    slos: ["p99<250ms", "errors<1%"]
    blocking: false
`
  return {
    files: [
      { name: names.schema, content: `${JSON.stringify(schema, null, 2)}\n` },
      { name: names.baseline, content: `${JSON.stringify(baseline)}\n` },
      { name: names.configSchema, content: `${JSON.stringify(gateConfigJsonSchema(), null, 2)}\n` },
      { name: names.config, content: config },
    ],
    warnings: warnings.map((w) => w.message),
  }
}
