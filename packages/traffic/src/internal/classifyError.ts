/** Classes of failed requests, counted separately in every load result. */
export const ERROR_CLASSES = ['connect', 'reset', 'timeout', 'http', 'body', 'check', 'other'] as const
export type ErrorClass = (typeof ERROR_CLASSES)[number]

const CONNECT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
])
const TIMEOUT = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT'])
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED'])

/** The class of a transport error thrown by undici (its `code`, or its cause's). */
export function classifyError(error: unknown): ErrorClass {
  for (let e: unknown = error, depth = 0; e !== null && typeof e === 'object' && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string') {
      if (CONNECT.has(code)) return 'connect'
      if (TIMEOUT.has(code)) return 'timeout'
      if (RESET.has(code)) return 'reset'
    }
    e = (e as { cause?: unknown }).cause
  }
  return 'other'
}

/** A short description of a transport error for messages: its code and message, never a request body. */
export function describeError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  const message = error instanceof Error ? error.message : String(error)
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause?.code
  return [typeof code === 'string' ? code : undefined, message, typeof cause === 'string' ? `(${cause})` : undefined]
    .filter((s) => s !== undefined)
    .join(': ')
    .slice(0, 200)
}
