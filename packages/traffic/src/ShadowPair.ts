/**
 * What the shadow proxy records of one mirrored request, and what the canary judge reads: the primary's answer, the
 * candidate's and (with a secondary instance of the primary) the secondary's. Holds no raw request or response
 * values: numbers read from the JSON answers by their dotted paths, labels only for fields the configuration names.
 */
export interface ShadowAnswer {
  /** HTTP status; 0 when there was no response. */
  readonly status: number
  /** Milliseconds from the request leaving the proxy to the last byte of the answer (NaN when there was none). */
  readonly latencyMs: number
  /** Why there is no usable answer: timeout, connection, status (≥ 500 or not as configured), or parse (not JSON). */
  readonly error?: 'timeout' | 'connection' | 'status' | 'parse'
  /** Numeric fields of the JSON answer by dotted path, e.g. `{ "score": 0.93 }`. */
  readonly scores: Readonly<Record<string, number>>
  /** Label fields of the JSON answer by dotted path, e.g. `{ "decision": "block" }`. */
  readonly labels: Readonly<Record<string, string>>
  /** Dotted paths present in this answer and absent in the primary's (for the candidate and secondary). */
  readonly addedFields?: readonly string[]
  /** Dotted paths present in the primary's answer and absent in this one. */
  readonly missingFields?: readonly string[]
}

export interface ShadowPair {
  /** When the request reached the proxy (epoch ms). */
  readonly at: number
  /** The route it was sent to, as configured (e.g. `/predict`), never the query string. */
  readonly path: string
  readonly primary: ShadowAnswer
  readonly candidate: ShadowAnswer
  readonly secondary?: ShadowAnswer
}

/** What the proxy counts beside the pairs: mirrored requests that never became a pair. */
export interface ShadowCounts {
  /** Requests answered by the primary through the proxy. */
  readonly requests: number
  /** Requests chosen for mirroring (by sample and paths). */
  readonly mirrored: number
  /** Mirrored requests dropped because the candidate's queue was full. */
  readonly dropped: number
}
