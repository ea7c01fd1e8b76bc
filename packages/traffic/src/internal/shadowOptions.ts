import { redactUrl } from '@modelgate/core'
import { z } from 'zod'
import { TrafficError } from '../errors.js'

/** The zod shape of `createShadowProxy`'s options (checked at the library boundary; createShadowProxy.ts checks it covers every option). */
export const optionsShape = {
  primary: z.string(),
  candidate: z.string(),
  secondary: z.string().optional(),
  host: z.string().optional(),
  port: z.number().int().min(0).max(65535).optional(),
  sample: z.number().min(0).max(1).optional(),
  mirrorPaths: z.array(z.string()).optional(),
  mirrorMethods: z.array(z.string().regex(/^[A-Za-z]+$/)).optional(),
  scoreFields: z.array(z.string()).optional(),
  labelFields: z.array(z.string()).optional(),
  piiFields: z.array(z.string()).optional(),
  tolerance: z.number().min(0).optional(),
  timeoutMs: z.number().positive().optional(),
  primaryTimeoutMs: z.number().positive().optional(),
  queueSize: z.number().int().min(1).optional(),
  maxInFlight: z.number().int().min(1).optional(),
  storeSize: z.number().int().min(1).optional(),
  maxBodyBytes: z.number().int().min(1).optional(),
  baseline: z.object({}).passthrough().optional(),
  featuresField: z.string().optional(),
  predictionField: z.string().optional(),
  driftMethods: z.array(z.string()).optional(),
  canary: z.object({}).passthrough().optional(),
  seed: z.number().int().min(0).optional(),
  processMetrics: z.boolean().optional(),
  mirrorThread: z.boolean().optional(),
  onError: z.function().optional(),
}

/** An upstream URL: http(s), or `MG_SHADOW_BAD_URL` naming the option (never a password). */
export function upstream(name: string, text: string): { origin: string; basePath: string; shown: string } {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new TrafficError('MG_SHADOW_BAD_URL', `the ${name} "${redactUrl(text).slice(0, 200)}" is not a URL.`, {
      hint: 'Give the full URL, e.g. http://127.0.0.1:8081.',
    })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TrafficError('MG_SHADOW_BAD_URL', `the ${name} ${redactUrl(url.href)} is not http:// or https://.`)
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, ''), shown: redactUrl(url.href) }
}

/** The request body as the primary reads it, with a copy up to `limit` bytes handed to `end` (null when longer). */
export async function* teeBody(
  source: AsyncIterable<Buffer>,
  limit: number,
  end: (body: Buffer | null) => void,
): AsyncIterable<Buffer> {
  let chunks: Buffer[] | null = []
  let bytes = 0
  for await (const chunk of source) {
    if (chunks !== null) {
      bytes += chunk.length
      if (bytes > limit) chunks = null
      else chunks.push(chunk)
    }
    yield chunk
  }
  end(chunks === null ? null : Buffer.concat(chunks))
}
