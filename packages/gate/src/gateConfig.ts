import { basename, dirname, isAbsolute, relative, resolve } from 'node:path'
import type { JsonSchema, Slo } from '@modelgate/core'
import { configJsonSchema, durationSchema, loadConfigFile, percentSchema, rateSchema, sloSchema } from '@modelgate/core'
import { z } from 'zod'

/** The check types `runGate` knows, in the order a config usually lists them. */
export const CHECK_TYPES = ['synth', 'contracts', 'expectations', 'skew', 'drift', 'load', 'shadow'] as const
export type CheckType = (typeof CHECK_TYPES)[number]

/** Timing checks run alone, after every other check, so their figures are not measured on a busy machine. */
export const TIMING_CHECKS: readonly CheckType[] = ['load', 'shadow']

/** Default timeout per check type (ms), used when a check sets none. */
export const DEFAULT_TIMEOUTS_MS: Readonly<Record<CheckType, number>> = {
  synth: 60_000,
  contracts: 60_000,
  expectations: 30_000,
  skew: 60_000,
  drift: 30_000,
  load: 60_000,
  shadow: 60_000,
}

const path = z.string().min(1)
const url = z.string().url()

const common = {
  /** Stable id (default: the type): what `only` and the reports name. */
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_.-]{0,62}$/, 'an id of lower-case letters, digits, "_", "-" or "."')
    .optional(),
  /** A failing non-blocking check folds as `warn` into the gate's verdict. Default true. */
  blocking: z.boolean().default(true),
  /** Wall-clock limit of the check (a duration such as `30s`); past it the check fails. */
  timeout: durationSchema.optional(),
}

const synthCheck = z
  .object({
    type: z.literal('synth'),
    ...common,
    /** The synth model file (default: `synth.model`). */
    model: path.optional(),
    /** The real table it is compared with (default: `data.reference`). */
    real: path.optional(),
    /** Real rows the synthesizer never saw: with them the privacy attacks run (singling out, linkability, inference). */
    holdout: path.optional(),
    /** Synthetic rows sampled for the comparison. Default 2,000. */
    rows: z.number().int().min(10).max(1_000_000).default(2000),
    seed: z.number().int().default(1),
    /** Overall quality below this fails. Default 0.8. */
    failUnder: z.number().min(0).max(1).default(0.8),
    /** A binary target column for the utility score (train on synthetic, test on real). */
    target: z.string().min(1).optional(),
  })
  .strict()

const contractsCheck = z
  .object({
    type: z.literal('contracts'),
    ...common,
    consumer: z.string().min(1),
    provider: z.string().min(1),
    method: z.string().min(1).default('POST'),
    /** The request path of the interactions (default: the endpoint's path). */
    path: z.string().startsWith('/').optional(),
    /** Example payloads (default: `data.reference`); PII in them is re-synthesized, never copied. */
    examples: path.optional(),
    /** Where the pacts are written (default: a temporary folder, removed afterwards). */
    out: path.optional(),
    /** Verify the endpoint's provider against the pacts just generated. Default true. */
    verify: z.boolean().default(true),
    /** A JS module exporting `stateHandlers` for provider verification. */
    stateHandlers: path.optional(),
    seed: z.number().int().optional(),
  })
  .strict()

const expectationsCheck = z
  .object({
    type: z.literal('expectations'),
    ...common,
    /** An expectations file (`modelgate contracts expect`); without it they are derived from `schemas.request` and `data.reference`. */
    expectations: path.optional(),
    /** The payload sample judged (default: `data.candidate`). */
    sample: path.optional(),
  })
  .strict()

const skewCheck = z
  .object({
    type: z.literal('skew'),
    ...common,
    /** Rows replayed through both paths (default: rows sampled from `synth.model`, else `data.reference`). */
    rows: path.optional(),
    /** Rows sampled from the synth model when `rows` is not given. Default 2,000. */
    sampleRows: z.number().int().min(1).max(1_000_000).default(2000),
    key: z.string().min(1).optional(),
    /** The batch path: `sql:…`, `cmd:…` or `module:file#export` (skew's adapter specs). */
    batch: z.string().min(1),
    /** The online path: an http(s) URL, a path on the endpoint's host (`/features`) or `module:file#export`. */
    online: z.string().min(1),
    features: z.array(z.string().min(1)).optional(),
    tolerance: z.number().nonnegative().optional(),
    statistical: z.union([z.boolean(), z.array(z.string().min(1))]).optional(),
  })
  .strict()

const driftCheck = z
  .object({
    type: z.literal('drift'),
    ...common,
    /** The baseline file (default: the top-level `baseline`). */
    baseline: path.optional(),
    /** The candidate sample (default: `data.candidate`). */
    current: path.optional(),
    /** Drift method specs as `modelgate drift --method` (`amount=psi:0.2`). */
    methods: z.array(z.string().min(1)).optional(),
    columns: z.array(z.string().min(1)).optional(),
    failOn: z.union([z.literal('any'), z.object({ share: z.number().gt(0).max(1) }).strict()]).optional(),
    /** The score column (prediction drift) when `--update-baseline` builds a new baseline from the sample. */
    prediction: z.string().min(1).optional(),
  })
  .strict()

const loadCheck = z
  .object({
    type: z.literal('load'),
    ...common,
    /** The URL load is sent to (default: `endpoint`). */
    target: url.optional(),
    /** A replayed traffic shape (JSONL with `ts`, or an access log); else a constant `rate` for `duration`. */
    replay: path.optional(),
    /** Replay speed-up. Default 1. */
    speed: z.number().positive().default(1),
    rate: rateSchema.optional(),
    duration: durationSchema.optional(),
    warmup: durationSchema.optional(),
    /** Payload rows cycled through the run (default: `data.reference`). */
    payloads: path.optional(),
    slos: z.array(sloSchema).min(1),
    connections: z.number().int().min(1).max(4096).optional(),
    /**
     * The generator-falls-behind rule (traffic's defaults: 1% of requests over 5 ms late, none over 50 ms). Loosen it
     * only on a shared machine, knowing that the latencies then partly measure the client.
     */
    generator: z
      .object({
        lateThreshold: durationSchema.optional(),
        maxLateShare: percentSchema.optional(),
        maxLateness: durationSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((c) => c.replay !== undefined || (c.rate !== undefined && c.duration !== undefined), {
    message: 'a load check needs `replay`, or `rate` and `duration`',
  })

const shadowCheck = z
  .object({
    type: z.literal('shadow'),
    ...common,
    /**
     * The release in production (the primary): the proxy forwards the traffic to it and mirrors every request to the
     * candidate.
     */
    primary: url,
    /** The release under test (default: `endpoint`). */
    candidate: url.optional(),
    /** The traffic fed through the proxy (default: the first load check's `replay`, else `rate` for `duration`). */
    replay: path.optional(),
    speed: z.number().positive().default(1),
    rate: rateSchema.optional(),
    duration: durationSchema.optional(),
    /** Payload rows (default: the first load check's, else `data.reference`). */
    payloads: path.optional(),
    /** Answer fields compared as scores (default: every finite number) and as labels. */
    scoreFields: z.array(z.string().min(1)).optional(),
    labelFields: z.array(z.string().min(1)).optional(),
    /** A score difference larger than this counts (the canary judge's default 0.01). */
    tolerance: z.number().nonnegative().optional(),
  })
  .strict()

const checkSchema = z.union([
  synthCheck,
  contractsCheck,
  expectationsCheck,
  skewCheck,
  driftCheck,
  loadCheck,
  shadowCheck,
])

/** `modelgate.yaml` (version 1): loaded with core's `loadConfigFile`, so every problem names its line and key. */
export const gateConfigSchema = z
  .object({
    version: z.literal(1),
    name: z.string().min(1).optional(),
    /** The model's inference endpoint (e.g. `http://127.0.0.1:8080/predict`). */
    endpoint: url.optional(),
    schemas: z.object({ request: path.optional(), response: path.optional() }).strict().optional(),
    /** `reference`: a healthy sample (what the baseline was built from); `candidate`: the sample the gate judges. */
    data: z.object({ reference: path.optional(), candidate: path.optional() }).strict().optional(),
    synth: z.object({ model: path.optional() }).strict().optional(),
    /** The drift baseline (`modelgate drift baseline`, or `modelgate gate --update-baseline`). */
    baseline: path.optional(),
    checks: z.array(checkSchema).min(1),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Map<string, number>()
    config.checks.forEach((check, i) => {
      const id = check.id ?? check.type
      const first = seen.get(id)
      if (first !== undefined)
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['checks', i, 'id'],
          message: `the id "${id}" is already used by checks[${first}]; give each check its own id`,
        })
      else seen.set(id, i)
    })
  })

type RawConfig = z.output<typeof gateConfigSchema>
type RawCheck = RawConfig['checks'][number]

/** One check of a loaded config: its id resolved, its file paths absolute. */
export type GateCheck = RawCheck & { readonly id: string; readonly timeoutMs: number }
export type SynthCheckConfig = Extract<GateCheck, { type: 'synth' }>
export type ContractsCheckConfig = Extract<GateCheck, { type: 'contracts' }>
export type ExpectationsCheckConfig = Extract<GateCheck, { type: 'expectations' }>
export type SkewCheckConfig = Extract<GateCheck, { type: 'skew' }>
export type DriftCheckConfig = Extract<GateCheck, { type: 'drift' }>
export type LoadCheckConfig = Extract<GateCheck, { type: 'load' }> & { readonly slos: readonly Slo[] }
export type ShadowCheckConfig = Extract<GateCheck, { type: 'shadow' }>

/** A loaded gate config: paths resolved against the config file's folder. */
export interface GateConfig extends Omit<RawConfig, 'checks'> {
  readonly checks: readonly GateCheck[]
  /** The folder relative paths were resolved from; reports name files relative to it. */
  readonly baseDir: string
  /** The config file, as named in messages. */
  readonly source: string
}

/** Check fields that name an input file (resolved against the config's folder, checked before a run). */
export const INPUT_PATH_KEYS = [
  'model',
  'real',
  'holdout',
  'examples',
  'stateHandlers',
  'expectations',
  'sample',
  'rows',
  'baseline',
  'current',
  'replay',
  'payloads',
] as const
const PATH_KEYS = [...INPUT_PATH_KEYS, 'out'] as const

/**
 * Resolves a parsed config (the zod output, or an object written in code and checked with `gateConfigSchema`)
 * against a folder: relative file paths become absolute, each check gets its id and timeout.
 */
export function resolveGateConfig(input: unknown, options: { baseDir: string; source?: string }): GateConfig {
  const config = input as RawConfig
  const at = (p: string | undefined): string | undefined => (p === undefined ? undefined : resolve(options.baseDir, p))
  const checks = config.checks.map((check) => {
    const resolved: Record<string, unknown> = { ...check, id: check.id ?? check.type }
    for (const key of PATH_KEYS) {
      const value = resolved[key]
      if (typeof value === 'string') resolved[key] = at(value)
    }
    resolved.timeoutMs = check.timeout ?? DEFAULT_TIMEOUTS_MS[check.type]
    return resolved as GateCheck
  })
  const schemas =
    config.schemas === undefined
      ? undefined
      : { request: at(config.schemas.request), response: at(config.schemas.response) }
  const data =
    config.data === undefined
      ? undefined
      : { reference: at(config.data.reference), candidate: at(config.data.candidate) }
  return {
    ...config,
    ...(schemas === undefined ? {} : { schemas: dropUndefined(schemas) }),
    ...(data === undefined ? {} : { data: dropUndefined(data) }),
    ...(config.synth?.model === undefined ? {} : { synth: { model: resolve(options.baseDir, config.synth.model) } }),
    ...(config.baseline === undefined ? {} : { baseline: resolve(options.baseDir, config.baseline) }),
    checks,
    baseDir: options.baseDir,
    source: options.source ?? 'gate config',
  }
}

function dropUndefined<T extends Record<string, string | undefined>>(o: T): { [K in keyof T]?: string } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: string }
}

/** Reads and validates `modelgate.yaml` (YAML or JSON): errors name the file, the line and the key path. */
export async function loadGateConfig(file: string, options: { displayName?: string } = {}): Promise<GateConfig> {
  const displayName = options.displayName ?? file
  const parsed = await loadConfigFile(file, gateConfigSchema, { displayName })
  return resolveGateConfig(parsed, { baseDir: dirname(resolve(file)), source: displayName })
}

/** The JSON Schema editors use for `modelgate.yaml` (`# yaml-language-server: $schema=modelgate.schema.json`). */
export function gateConfigJsonSchema(): JsonSchema {
  return configJsonSchema(gateConfigSchema, {
    title: 'modelgate gate config (modelgate.yaml)',
    description:
      'One versioned config naming the endpoint, schemas, data, baseline and the checks `modelgate gate` runs.',
  })
}

/** A path as reports show it: relative to the config's folder when inside it. */
export function displayPath(config: Pick<GateConfig, 'baseDir'>, file: string): string {
  const rel = relative(config.baseDir, file)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : basename(file)
}
