import type { ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import type { Dispatcher, Pool } from 'undici'
import { classifyError } from './classifyError.js'
import { endToEndHeaders } from './shadowHeaders.js'
import type { ExchangeOutcome } from './shadowMirror.js'

interface ForwardRequest {
  readonly method: Dispatcher.HttpMethod
  readonly path: string
  readonly headers: string[]
  readonly body: Buffer | Readable | null
}

/**
 * The primary's exchange: its status, end-to-end headers and body go to the client as they arrive (the body chunk by
 * chunk, paused while the client's socket is full), so the client gets the primary's answer untouched and streamed.
 * A copy of the body is kept up to `captureLimit` bytes when the request is mirrored (0: none).
 */
class PrimaryExchange implements Dispatcher.DispatchHandler {
  private status = 0
  /** The captured body: its first chunk, and a list only from a second one on. */
  private first: Buffer | null = null
  private rest: Buffer[] | null = null
  private bytes = 0
  private tooLong = false
  private abort: ((error?: Error) => void) | undefined
  private resume: () => void = () => {}
  private ended = false
  private readonly sentAt = performance.now()

  constructor(
    private readonly res: ServerResponse,
    private readonly captureLimit: number,
    private readonly finish: (outcome: ExchangeOutcome) => void,
  ) {
    // the client went away before the answer was complete: stop the primary's exchange too
    res.once('close', () => {
      if (!res.writableFinished) this.abort?.(new Error('the client closed the connection'))
    })
  }

  onConnect(abort: (error?: Error) => void): void {
    this.abort = abort
    if (this.res.destroyed) abort(new Error('the client closed the connection'))
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean {
    this.status = statusCode
    const res = this.res
    if (res.destroyed) return true
    res.writeHead(statusCode, statusText, endToEndHeaders(rawHeaders, 'response'))
    this.resume = resume
    return true
  }

  onData(chunk: Buffer): boolean {
    if (this.captureLimit > 0 && !this.tooLong) {
      this.bytes += chunk.length
      if (this.bytes > this.captureLimit) {
        this.tooLong = true
        this.first = null
        this.rest = null
      } else if (this.first === null) this.first = chunk
      else if (this.rest === null) this.rest = [this.first, chunk]
      else this.rest.push(chunk)
    }
    if (this.res.destroyed) return true
    if (this.res.write(chunk)) return true
    // the client's socket is full: pause the primary until it drains
    this.res.once('drain', this.resume)
    return false
  }

  onComplete(trailers?: readonly (string | Buffer)[] | null): void {
    // trailer fields (the answer came chunked, so it goes on chunked too) follow the body, hop-by-hop ones removed
    if (trailers !== undefined && trailers !== null && trailers.length > 0 && !this.res.destroyed) {
      const fields = endToEndHeaders(trailers, 'response')
      const pairs: [string, string][] = []
      for (let i = 0; i + 1 < fields.length; i += 2) pairs.push([fields[i] as string, fields[i + 1] as string])
      this.res.addTrailers(pairs)
    }
    this.res.end()
    const latencyMs = performance.now() - this.sentAt
    if (this.tooLong) this.end({ status: this.status, latencyMs, body: null, error: 'parse' })
    else {
      const body =
        this.captureLimit === 0 ? null : this.rest !== null ? Buffer.concat(this.rest) : (this.first ?? Buffer.alloc(0))
      this.end({ status: this.status, latencyMs, body })
    }
  }

  onError(error: Error): void {
    const res = this.res
    const kind = classifyError(error)
    if (!res.headersSent && !res.destroyed) {
      const timeout = kind === 'timeout'
      const text = `modelgate shadow: the primary ${timeout ? 'did not answer in time' : `could not be reached (${kind})`}\n`
      res.writeHead(timeout ? 504 : 502, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(text)
    } else if (!res.writableFinished) res.destroy()
    this.end({
      status: this.status,
      latencyMs: Number.NaN,
      body: null,
      error: kind === 'timeout' ? 'timeout' : 'connection',
    })
  }

  private end(outcome: ExchangeOutcome): void {
    if (this.ended) return
    this.ended = true
    this.finish(outcome)
  }
}

/** Sends a client's request to the primary and streams the answer back; `finish` gets the outcome once. */
export function forwardToPrimary(
  pool: Pool,
  request: ForwardRequest,
  res: ServerResponse,
  options: { readonly timeoutMs: number; readonly captureLimit: number },
  finish: (outcome: ExchangeOutcome) => void,
): void {
  const exchange = new PrimaryExchange(res, options.captureLimit, finish)
  try {
    pool.dispatch(
      {
        method: request.method,
        path: request.path,
        headers: request.headers,
        body: request.body,
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
      },
      exchange,
    )
  } catch (error) {
    exchange.onError(error as Error)
  }
}
