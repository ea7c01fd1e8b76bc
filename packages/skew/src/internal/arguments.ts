import type { ArgumentShape } from '@modelgate/core'
import { checkArgument, tableArgument, tableSchema } from '@modelgate/core'
import { z } from 'zod'
import type { SkewOptions } from '../types.js'

// The shapes of skew's public arguments, checked where the documented functions start (core's checkArgument):
// types only; ranges (alpha in (0, 1), folds ≥ 1, …) stay with the code that uses them and its SKEW codes.
// Shapes of option types declared beside their function are checked against the type there
// (`z.object(onlineHttpShape satisfies ArgumentShape<OnlineHttpOptions>)`), so this file imports only types.ts.

const fn = z.function()
const strings = z.array(z.string())
const format = z.enum(['csv', 'jsonl', 'parquet'])
const signal = z.custom<AbortSignal>((v) => v instanceof AbortSignal, { message: 'expected an AbortSignal' })

const featurePath = z.object({
  kind: z.enum(['batch', 'online']),
  name: z.string(),
  compute: fn,
  close: fn.optional(),
})

const skewOptions = z.object({
  input: tableArgument,
  batch: featurePath,
  online: featurePath,
  key: z.string().optional(),
  features: strings.optional(),
  tolerance: z.union([z.number(), z.object({ absolute: z.number(), relative: z.number() }).partial()]).optional(),
  minAgreement: z.number().optional(),
  statistical: z.union([z.boolean(), strings]).optional(),
  equivalenceMargin: z.record(z.number()).optional(),
  marginSdFactor: z.number().optional(),
  alpha: z.number().optional(),
  psiThreshold: z.number().optional(),
  jsThreshold: z.number().optional(),
  maxNullRateDelta: z.number().optional(),
  worstRows: z.number().optional(),
  noise: z.enum(['online', 'batch', 'both']).optional(),
  redactColumns: strings.optional(),
  schema: tableSchema.optional(),
  signal: signal.optional(),
  rareBelow: z.number().optional(),
  showColumns: strings.optional(),
  onProgress: fn.optional(),
  inputName: z.string().optional(),
} satisfies ArgumentShape<SkewOptions>)

export function checkSkewOptions(options: unknown): void {
  checkArgument(skewOptions, options, {
    call: 'checkSkew(options)',
    name: 'options',
    hint: 'batch and online are feature paths: batchSql, batchFunction, batchCommand, onlineHttp or onlineFunction.',
  })
}

export const leakageShape = {
  time: z.string(),
  split: z.string(),
  entity: z.string().optional(),
  train: strings.optional(),
  test: strings.optional(),
  windowEnd: z.string().optional(),
  maxExamples: z.number().optional(),
  inputName: z.string().optional(),
  schema: tableSchema.optional(),
  redactColumns: strings.optional(),
}

export const expandingWindowShape = {
  time: z.string(),
  folds: z.number().optional(),
  testSize: z.number().optional(),
  gap: z.number().optional(),
}

export const onlineHttpShape = {
  method: z.enum(['POST', 'PUT']).optional(),
  bodyTemplate: z.string().optional(),
  responsePath: z.string().optional(),
  headers: z.record(z.string()).optional(),
  concurrency: z.number().optional(),
  retries: z.number().optional(),
  timeoutMs: z.number().optional(),
  backoffMs: z.number().optional(),
  maxResponseBytes: z.number().optional(),
  deadlineMs: z.number().optional(),
  maxConsecutiveFailures: z.number().optional(),
  name: z.string().optional(),
}

export const onlineFunctionShape = { name: z.string().optional(), concurrency: z.number().optional() }

export const batchFunctionShape = { name: z.string().optional() }

export const batchSqlShape = { name: z.string().optional(), threads: z.number().optional() }

export const batchCommandShape = {
  format: format.optional(),
  outputFormat: format.optional(),
  cwd: z.string().optional(),
  env: z.record(z.string()).optional(),
  timeoutMs: z.number().optional(),
  name: z.string().optional(),
}

export const pathSpecShape = {
  role: z.enum(['batch', 'online']),
  cwd: z.string().optional(),
  batchFormat: format.optional(),
  batchOutputFormat: format.optional(),
  http: z.object(onlineHttpShape).optional(),
}
