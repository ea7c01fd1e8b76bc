import type { ArgumentShape } from '@modelgate/core'
import { checkArgument, tableSchema } from '@modelgate/core'
import { z } from 'zod'
import type { GenerateContractsOptions } from '../types.js'

// The shapes of contracts' public arguments, checked where the documented functions start (core's checkArgument):
// types only; the rules about values (a name that can name a file, at least one pact) stay with the code that
// uses them and its CONTRACTS codes. Shapes of option types declared beside their function are checked against
// the type there (`z.object(verifyProviderShape satisfies ArgumentShape<VerifyProviderOptions>)`).

const strings = z.array(z.string())
const fn = z.function()
const stringRecord = z.record(z.string())

const generateOptions = z.object({
  consumer: z.string(),
  provider: z.string(),
  request: tableSchema,
  response: tableSchema,
  method: z.string().optional(),
  path: z.string().optional(),
  examples: z.array(z.record(z.unknown())).optional(),
  examplesSource: z.string().optional(),
  interactions: z.number().optional(),
  seed: z.number().optional(),
  k: z.number().optional(),
  outDir: z.string(),
  providerState: z.string().optional(),
  featureLog: z.object({ consumer: z.string(), description: z.string().optional() }).optional(),
  emitTest: z.string().optional(),
  onProgress: fn.optional(),
} satisfies ArgumentShape<GenerateContractsOptions>)

export function checkGenerateOptions(options: unknown): void {
  checkArgument(generateOptions, options, {
    call: 'generateContracts(options)',
    name: 'options',
    hint: 'request and response are annotated schemas (loadSchema or defineSchema returns one).',
  })
}

const brokerAuthShape = {
  brokerToken: z.string().optional(),
  brokerUsername: z.string().optional(),
  brokerPassword: z.string().optional(),
}

export const verifyProviderShape = {
  ...brokerAuthShape,
  providerBaseUrl: z.string(),
  provider: z.string().optional(),
  pactFiles: strings.optional(),
  brokerUrl: z.string().optional(),
  consumerVersionSelectors: z.array(z.object({}).passthrough()).optional(),
  enablePending: z.boolean().optional(),
  includeWipPactsSince: z.string().optional(),
  providerVersion: z.string().optional(),
  providerVersionBranch: z.string().optional(),
  publishVerificationResult: z.boolean().optional(),
  headers: stringRecord.optional(),
  stateHandlers: z.record(z.union([fn, z.object({ setup: fn.optional(), teardown: fn.optional() })])).optional(),
  timeoutMs: z.number().optional(),
  deadlineMs: z.number().optional(),
}

export const verifyMessageProviderShape = {
  pactFiles: strings,
  messageProviders: z.record(fn),
  stateHandlers: z.record(fn).optional(),
  provider: z.string().optional(),
}

export const publishPactsShape = {
  ...brokerAuthShape,
  brokerUrl: z.string(),
  pacts: strings,
  consumerVersion: z.string(),
  branch: z.string().optional(),
  tags: strings.optional(),
  buildUrl: z.string().optional(),
  merge: z.boolean().optional(),
}

export const canIDeployShape = {
  ...brokerAuthShape,
  brokerUrl: z.string(),
  pacticipants: z.array(
    z.object({
      name: z.string(),
      version: z.string().optional(),
      latest: z.union([z.boolean(), z.string()]).optional(),
      branch: z.string().optional(),
    }),
  ),
  toEnvironment: z.string().optional(),
  retryWhileUnknown: z.number().optional(),
  retryIntervalSeconds: z.number().optional(),
}
