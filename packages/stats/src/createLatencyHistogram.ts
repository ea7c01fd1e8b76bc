import * as hdr from 'hdr-histogram-js'
import { StatsError } from './errors.js'
import { badOption, checkOptionNames } from './internal/validate.js'

export type LatencyUnit = 'ms' | 'us'

export interface LatencyHistogramOptions {
  /** Unit of recorded and reported values. Values are stored as integer nanoseconds. Default 'ms'. */
  readonly unit?: LatencyUnit
  /**
   * Significant decimal digits kept (1–5). Default 3: every value from 2 µs up (and so any latency from 0.05 ms to
   * an hour) is reported within 0.1% (HdrHistogram's buckets at 3 digits are at most 1/1024 wide).
   */
  readonly significantDigits?: 1 | 2 | 3 | 4 | 5
}

export interface LatencySummary {
  readonly count: number
  readonly min: number
  readonly max: number
  readonly mean: number
  readonly p50: number
  readonly p90: number
  readonly p99: number
  readonly p999: number
  readonly unit: LatencyUnit
}

export interface LatencyHistogramJSON {
  readonly type: 'hdr'
  /** 2: values in nanoseconds (version 1 stored whole microseconds and is not read). */
  readonly version: 2
  readonly unit: LatencyUnit
  /** Standard HdrHistogram compressed base64 (V2 encoding) of the nanosecond histogram. */
  readonly encoded: string
}

/** An HdrHistogram of latencies: record, percentiles, merge, encode/decode. */
export interface LatencyHistogram {
  readonly unit: LatencyUnit
  readonly count: number
  record(value: number, count?: number): LatencyHistogram
  recordAll(values: ArrayLike<number>): LatencyHistogram
  /** Value at percentile p ∈ [0, 100], in `unit`. */
  percentile(p: number): number
  summary(): LatencySummary
  merge(other: LatencyHistogram): LatencyHistogram
  reset(): LatencyHistogram
  /** Compressed base64 in the standard HdrHistogram format (values in nanoseconds). */
  encode(): string
  toJSON(): LatencyHistogramJSON
}

/**
 * Latency histogram backed by hdr-histogram-js 3.0.1 (pure-JS `JsHistogram`, auto-resizing, so no WebAssembly
 * initialisation is needed in Node). Values are stored as integer nanoseconds: HdrHistogram keeps
 * `significantDigits` only from 2·10^digits units up, so whole microseconds put 0.05 ms (50 units) at 2% and
 * sub-microsecond values at up to 100%; in nanoseconds 0.05 ms is 50,000 units and 60 s is 6·10¹⁰ (exact in a
 * double). Negative, NaN and infinite values are rejected.
 */
export function createLatencyHistogram(options: LatencyHistogramOptions = {}): LatencyHistogram {
  checkOptionNames(options, ['unit', 'significantDigits'], 'createLatencyHistogram')
  const unit = checkUnit(options.unit ?? 'ms')
  const digits = options.significantDigits ?? 3
  if (![1, 2, 3, 4, 5].includes(digits)) {
    throw badOption(`createLatencyHistogram: significantDigits must be 1–5, got ${String(digits)}.`)
  }
  return new HdrLatencyHistogram(
    hdr.build({ numberOfSignificantValueDigits: digits, autoResize: true, useWebAssembly: false, bitBucketSize: 64 }),
    unit,
  )
}

/** Restores a histogram from `encode()` output (nanosecond values; give the unit to report in) or from `toJSON()`. */
export function decodeLatencyHistogram(
  encoded: string | LatencyHistogramJSON,
  unit: LatencyUnit = 'ms',
): LatencyHistogram {
  const json = typeof encoded === 'string' ? { encoded, unit, version: 2 } : encoded
  if ((json as { version?: unknown }).version !== 2) {
    throw new StatsError(
      'MG_STATS_BAD_SKETCH',
      `decodeLatencyHistogram: histogram version ${String((json as { version?: unknown }).version)} is not readable; expected version 2 (nanoseconds).`,
      { hint: 'Version 1 histograms stored whole microseconds; record the latencies again.' },
    )
  }
  if (typeof json.encoded !== 'string') {
    throw new StatsError('MG_STATS_BAD_SKETCH', 'decodeLatencyHistogram: expected an encoded histogram string.')
  }
  let h: hdr.Histogram
  try {
    h = hdr.decodeFromCompressedBase64(json.encoded, 64, false)
  } catch (cause) {
    throw new StatsError(
      'MG_STATS_BAD_SKETCH',
      'decodeLatencyHistogram: the string is not a compressed HdrHistogram.',
      {
        cause,
        hint: 'Pass the output of histogram.encode().',
      },
    )
  }
  return new HdrLatencyHistogram(h, checkUnit(json.unit))
}

function checkUnit(unit: string): LatencyUnit {
  if (unit !== 'ms' && unit !== 'us') throw badOption(`latency histogram: unit must be 'ms' or 'us', got "${unit}".`)
  return unit
}

class HdrLatencyHistogram implements LatencyHistogram {
  readonly unit: LatencyUnit
  /** @internal */
  readonly h: hdr.Histogram
  private readonly scale: number

  constructor(h: hdr.Histogram, unit: LatencyUnit) {
    this.h = h
    this.unit = unit
    this.scale = unit === 'ms' ? 1e6 : 1e3 // nanoseconds per unit
  }

  get count(): number {
    return this.h.totalCount
  }

  record(value: number, count = 1): LatencyHistogram {
    if (!(Number.isFinite(value) && value >= 0)) {
      throw new StatsError(
        'MG_STATS_NOT_FINITE',
        `LatencyHistogram.record: got ${String(value)}; expected a latency ≥ 0.`,
      )
    }
    const ns = Math.round(value * this.scale)
    if (count === 1) this.h.recordValue(ns)
    else this.h.recordValueWithCount(ns, count)
    return this
  }

  recordAll(values: ArrayLike<number>): LatencyHistogram {
    for (let i = 0; i < values.length; i++) this.record(values[i] as number)
    return this
  }

  percentile(p: number): number {
    if (!(p >= 0 && p <= 100))
      throw badOption(`LatencyHistogram.percentile: p must be within [0, 100], got ${String(p)}.`)
    return this.h.totalCount === 0 ? Number.NaN : this.h.getValueAtPercentile(p) / this.scale
  }

  summary(): LatencySummary {
    const empty = this.h.totalCount === 0
    const v = (x: number): number => (empty ? Number.NaN : x / this.scale)
    return {
      count: this.h.totalCount,
      // min and max at bucket resolution (like the percentiles), so a decoded copy reports the same values
      min: v(this.h.getValueAtPercentile(0)),
      max: v(this.h.getValueAtPercentile(100)),
      mean: v(this.h.mean),
      p50: this.percentile(50),
      p90: this.percentile(90),
      p99: this.percentile(99),
      p999: this.percentile(99.9),
      unit: this.unit,
    }
  }

  merge(other: LatencyHistogram): LatencyHistogram {
    if (!(other instanceof HdrLatencyHistogram)) {
      throw new StatsError(
        'MG_STATS_BAD_SKETCH',
        'LatencyHistogram.merge: expected a histogram made by createLatencyHistogram().',
      )
    }
    this.h.add(other.h)
    return this
  }

  reset(): LatencyHistogram {
    this.h.reset()
    return this
  }

  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.h)
  }

  toJSON(): LatencyHistogramJSON {
    return { type: 'hdr', version: 2, unit: this.unit, encoded: this.encode() }
  }
}
