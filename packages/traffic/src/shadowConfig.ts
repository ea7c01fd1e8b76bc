import type { JsonSchema } from '@modelgate/core'
import { configJsonSchema, durationSchema, loadConfigFile } from '@modelgate/core'
import { z } from 'zod'

const url = z.string().url()
const fieldList = z.array(z.string().min(1)).optional()

/**
 * `shadow.yaml` (read with core's `loadConfigFile`; its JSON Schema from `shadowConfigJsonSchema`). Every key is
 * optional except `version`; command-line flags override the file. Relative paths are relative to the file.
 */
export const shadowConfigSchema = z
  .object({
    version: z.literal(1),
    /** `[host]:port`; `:8080` listens on every interface. */
    listen: z.string().min(1).optional(),
    primary: url.optional(),
    candidate: url.optional(),
    /** A second instance of the primary: differences the primary has with itself are noise (Diffy's rule). */
    secondary: url.optional(),
    /** Share of eligible requests mirrored, 0–1. */
    sample: z.number().min(0).max(1).optional(),
    /** Globs of mirrored paths (`*` within a segment, `**` across); default every path. */
    mirrorPaths: fieldList,
    /** Methods mirrored; default POST only (other methods may have side effects: see the README). */
    mirrorMethods: z.array(z.string().regex(/^[A-Za-z]+$/)).optional(),
    /** Dotted paths of the numeric score fields compared; default every number in the answer. */
    scores: fieldList,
    /** Dotted paths of the label fields compared exactly. */
    labels: fieldList,
    /** Dotted paths of answer fields holding personal data: never read as a score, shown as [redacted]. */
    pii: fieldList,
    /** A score difference within this absolute tolerance is no difference (metrics and status). */
    tolerance: z.number().min(0).optional(),
    /** The mirror requests' own timeout. */
    timeout: durationSchema.optional(),
    /** The primary's timeout (the wait for headers and between body chunks). */
    primaryTimeout: durationSchema.optional(),
    queueSize: z.number().int().min(1).optional(),
    maxInFlight: z.number().int().min(1).optional(),
    /** Pairs kept (a ring of the most recent). */
    storeSize: z.number().int().min(1).optional(),
    /** Requests and answers longer than this are not mirrored / compared. */
    maxBodyBytes: z.number().int().min(1).optional(),
    /** A drift baseline (`modelgate drift baseline`) for data and prediction drift of the shadow traffic. */
    baseline: z.string().min(1).optional(),
    /** Dotted path of the features object in the request body; default `features`, else the body itself. */
    features: z.string().optional(),
    /** Dotted path of the prediction score in the answers; default the baseline's prediction column. */
    prediction: z.string().min(1).optional(),
    /** Drift method specs as `modelgate drift --method` (`amount=psi:0.2`). */
    methods: z.array(z.string()).optional(),
    /** Options of the canary judge (`judgeCanary`'s: maxDiffShare, confidence, …; checked when the proxy starts). */
    canary: z.record(z.string(), z.unknown()).optional(),
    /** Seed of the sampling draws. */
    seed: z.number().int().min(0).optional(),
  })
  .strict()

export type ShadowConfig = z.output<typeof shadowConfigSchema>

/** Reads `shadow.yaml` / `.json` (errors name the file, line and key; `MG_CONFIG_INVALID`). */
export async function loadShadowConfig(path: string, displayName?: string): Promise<ShadowConfig> {
  return loadConfigFile(path, shadowConfigSchema, displayName === undefined ? {} : { displayName })
}

/** The JSON Schema of `shadow.yaml` (shipped as examples/shadow/shadow.schema.json). */
export function shadowConfigJsonSchema(): JsonSchema {
  return configJsonSchema(shadowConfigSchema, {
    title: 'modelgate shadow config',
    description: 'shadow.yaml: the shadow proxy of `modelgate shadow` (flags override the file).',
  })
}
