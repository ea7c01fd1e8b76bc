import type { Report } from '@modelgate/core'
import type { Dispatcher } from 'undici'
import type { ShadowDriftReports } from '../ShadowDriftReports.js'
import type { ShadowCounts, ShadowPair } from '../ShadowPair.js'
import type { ShadowMirrorThreadStatus } from '../ShadowStatus.js'
import type { ExchangeOutcome } from './shadowMirror.js'
import type { MirrorFinal, MirrorQuery, MirrorSettings } from './shadowPairing.js'
import { SHARED, ShadowPairing } from './shadowPairing.js'

/** A mirrored request as the proxy thread saw it. */
export interface MirroredRequest {
  readonly method: Dispatcher.HttpMethod
  readonly path: string
  readonly route: string
  readonly headers: string[]
  readonly at: number
  readonly body: Buffer | null
}

/**
 * The mirror side is gone — closed, or its thread lost (reported through `onError` then): its calls reject with this
 * and the proxy answers from what it handed back. It never reaches a user.
 */
export class MirrorGone extends Error {}

/** What the mirror side is told about every answer it did not see. */
export interface MirrorHooks {
  readonly onError: (error: unknown) => void
  readonly onDrift: (reports: ShadowDriftReports) => void
}

/**
 * The proxy's mirror side as its request path sees it — on its own thread (MirrorThread) or on the proxy's
 * (LocalMirror): mirrored requests and the primary's outcomes go in; counts, the state and the verdict come out.
 */
export interface MirrorSide {
  /** Hands a mirrored request over; its number, for `primaryDone` (-1: not mirrored, counted as dropped). */
  submit(request: MirroredRequest): number
  /** The primary's outcome of request `id` (its latency taken on the proxy's thread, where its exchange happened). */
  primaryDone(id: number, outcome: ExchangeOutcome): void
  /** Dropped mirrored requests (never waits). */
  readonly dropped: number
  /** Pairs kept (never waits). */
  readonly pairCount: number
  /**
   * Mirrored requests dropped outside the running mirror side (counted in `dropped`): the drops of lost threads, the
   * requests they had not finished, and every request handed over after mirroring stopped.
   */
  readonly lost: number
  /** The mirror thread's losses (null: the mirror side runs on the proxy's thread). */
  thread(): ShadowMirrorThreadStatus | null
  /** The state (undefined: the side is gone; the caller answers from what it handed back at close). */
  query(query: MirrorQuery): unknown
  /** The pairs kept, oldest first (undefined: as `query`). */
  pairs(): ShadowPair[] | undefined
  verdict(counts: Omit<ShadowCounts, 'dropped'>): Promise<Report>
  metricsJson(): Promise<unknown[]>
  /** Drops the queue, aborts the mirrors on the wire; what it kept (null: it was lost). */
  close(): Promise<MirrorFinal | null>
}

/** The mirror side on the proxy's own thread: ShadowPairing called directly. */
export class LocalMirror implements MirrorSide {
  private readonly shared = new Float64Array(SHARED.length)
  private readonly pairing: ShadowPairing
  private nextId = 0
  private closed: Promise<MirrorFinal> | undefined
  readonly lost = 0

  constructor(settings: Omit<MirrorSettings, 'shared'>, hooks: MirrorHooks) {
    this.pairing = new ShadowPairing({ ...settings, shared: this.shared }, hooks)
  }

  get dropped(): number {
    return this.shared[SHARED.dropped] as number
  }

  get pairCount(): number {
    return this.pairing.pairCount
  }

  thread(): null {
    return null
  }

  submit(request: MirroredRequest): number {
    const id = this.nextId++
    this.pairing.mirror(id, request)
    return id
  }

  primaryDone(id: number, outcome: ExchangeOutcome): void {
    this.pairing.primaryDone(id, outcome)
  }

  query(query: MirrorQuery): unknown {
    return this.closed === undefined ? this.pairing.answer(query) : undefined
  }

  pairs(): ShadowPair[] | undefined {
    return this.closed === undefined ? this.pairing.pairs() : undefined
  }

  verdict(counts: Omit<ShadowCounts, 'dropped'>): Promise<Report> {
    return this.closed === undefined ? this.pairing.verdict(counts) : Promise.reject(new MirrorGone())
  }

  metricsJson(): Promise<unknown[]> {
    return this.pairing.metricsJson()
  }

  close(): Promise<MirrorFinal> {
    this.closed ??= this.pairing.close()
    return this.closed
  }
}
