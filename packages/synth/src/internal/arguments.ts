import type { ArgumentShape } from '@modelgate/core'
import { PII_TYPES, tableArgument, tableSchema } from '@modelgate/core'
import { z } from 'zod'
import type { SampleOptions, StreamOptions, TrainSynthesizerOptions } from '../types.js'

// The shapes of synth's public arguments, checked where the documented functions start (core's checkArgument):
// types only; ranges (k ≥ 1, a shard inside its count, …) stay with the code that uses them and its SYNTH codes.
// Shapes of option types declared beside their function are checked against the type there
// (`z.object(writeShape satisfies ArgumentShape<WriteSyntheticOptions>)`), so this file imports only types.ts.

const seed = z.union([z.number(), z.string()]).optional()
const fn = z.function().optional()
const instanceOf = <T>(type: new (...args: never[]) => T, name: string) =>
  z.custom<T>((v) => v instanceof type, { message: `expected ${name}` })

export const trainOptions = z.object({
  synthesizer: z.enum(['copula', 'ctgan']).optional(),
  ctgan: z.object({}).passthrough().optional(), // CTGAN's settings are checked by fitCtgan
  schema: tableSchema.optional(),
  pii: z.record(z.enum([...PII_TYPES, 'id'])).optional(),
  detectPii: z.boolean().optional(),
  seed,
  k: z.number().optional(),
  rareCategories: z.enum(['drop', 'other']).optional(),
  otherLabel: z.string().optional(),
  maxCategories: z.number().optional(),
  epsilon: z.number().optional(),
  delta: z.number().optional(),
  strict: z.boolean().optional(),
  source: z.string().optional(),
  onProgress: fn,
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, { message: 'expected an AbortSignal' }).optional(),
} satisfies ArgumentShape<TrainSynthesizerOptions>)

const sampleShape = {
  seed,
  where: z.record(z.union([z.string(), z.number(), z.boolean()])).optional(),
  chunkRows: z.number().optional(),
} satisfies ArgumentShape<SampleOptions>

export const sampleOptions = z.object(sampleShape)

const streamShape = {
  ...sampleShape,
  shard: z.object({ index: z.number(), count: z.number() }).optional(),
  onProgress: fn,
} satisfies ArgumentShape<StreamOptions>

export const streamOptions = z.object(streamShape)

export const writeShape = {
  ...streamShape,
  rows: z.number(),
  out: z.string(),
  codec: z.enum(['snappy', 'gzip', 'uncompressed']).optional(),
  signal: instanceOf(AbortSignal, 'an AbortSignal').optional(),
  displayName: z.string().optional(),
}

export const synthModel = z.object({ sample: z.function(), stream: z.function() })

const columnNames = z.array(z.string())

/** The privacy attacks' settings (`evaluateSynthetic`'s `privacy`; every key checked in evaluatePrivacyRisks.ts). */
const privacyShape = {
  attacks: z.number().optional(),
  maxRisk: z.number().optional(),
  maxMembershipAuc: z.number().optional(),
  confidence: z.number().optional(),
  linkability: z.tuple([columnNames, columnNames]).optional(),
  singlingOutColumns: z.number().optional(),
}

export const evaluateShape = {
  real: tableArgument,
  synthetic: tableArgument,
  holdout: tableArgument.optional(),
  target: z.string().optional(),
  pii: z.array(z.string()).optional(),
  failUnder: z.number().optional(),
  dcrQueries: z.number().optional(),
  dcrReferences: z.number().optional(),
  k: z.number().optional(),
  seed,
  names: z.object({ real: z.string(), synthetic: z.string(), holdout: z.string() }).partial().optional(),
  privacy: z.object(privacyShape).optional(),
}

export const privacyRisksShape = {
  ...privacyShape,
  train: tableArgument,
  control: tableArgument,
  synthetic: tableArgument,
  columns: columnNames.optional(),
  identifiers: columnNames.optional(),
  seed: z.number().optional(),
}

export const splitShape = {
  fraction: z.number(),
  seed: z.number().optional(),
  by: z.string().optional(),
  source: z.string().optional(),
}

export const copulaDimShape = {
  column: z.string(),
  part: z.enum(['value', 'null']),
  keys: instanceOf(Float64Array, 'a Float64Array of ordinal keys'),
}

export const copulaOptionsShape = {
  random: z.object({ uniform: z.function() }).passthrough(), // core's Random (createRandom)
  maxRows: z.number().optional(),
  gibbsSweeps: z.number().optional(),
  structure: z.enum(['auto', 'dense', 'factor']).optional(),
}

/** What fitGaussianCopula is for, when it gets a table instead of its prepared dimensions. */
export const COPULA_HINT =
  'fitGaussianCopula is the dependence step alone, over ordinal keys per latent dimension; to learn a model from a table, call trainSynthesizer(table, { seed }).'
