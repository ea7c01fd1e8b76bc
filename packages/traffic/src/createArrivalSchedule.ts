import { createRandom } from '@modelgate/core'
import { TrafficError } from './errors.js'

/** One stage of a ramping arrival rate: over `durationMs` the rate moves linearly to `target` (requests per second). */
export interface RateStage {
  readonly durationMs: number
  readonly target: number
}

/**
 * The open-model workloads. `constant` and `ramping` are k6's constant- and ramping-arrival-rate executors (evenly
 * spaced arrivals); `poisson` draws exponential gaps around the same (constant or ramping) rate, seeded; `replay`
 * sends at recorded offsets divided by `speed`.
 */
export type ArrivalSpec =
  | { readonly kind: 'constant'; readonly rate: number; readonly durationMs: number }
  | { readonly kind: 'ramping'; readonly stages: readonly RateStage[]; readonly startRate?: number }
  | {
      readonly kind: 'poisson'
      readonly rate?: number
      readonly durationMs?: number
      readonly stages?: readonly RateStage[]
      readonly startRate?: number
      readonly seed?: number
    }
  | { readonly kind: 'replay'; readonly offsetsMs: ArrayLike<number>; readonly speed?: number }

/** A stream of intended send times: offsets in milliseconds from the start, ascending. */
export interface ArrivalSchedule {
  /** e.g. `constant 500/s for 60s`. */
  readonly description: string
  /** The schedule's length in milliseconds. */
  readonly durationMs: number
  /** How many arrivals the schedule holds (for Poisson: the expected number). */
  readonly expectedCount: number
  /** The next intended offset in ms, or `Infinity` once the schedule is over. */
  next(): number
}

/**
 * Builds an arrival schedule. Evenly spaced and Poisson arrivals come from one rule: the k-th arrival is sent when the
 * cumulative intended count ∫rate reaches k (evenly spaced: k = 0, 1, 2 …; Poisson: a running sum of Exp(1) draws,
 * which is a non-homogeneous Poisson process by time change), so a ramp is followed exactly, not in steps.
 */
export function createArrivalSchedule(spec: ArrivalSpec): ArrivalSchedule {
  switch (spec.kind) {
    case 'constant': {
      checkRate(spec.rate, 'rate')
      checkDuration(spec.durationMs)
      return fromStages(
        [{ durationMs: spec.durationMs, target: spec.rate }],
        spec.rate,
        `constant ${fmtRate(spec.rate)} for ${fmtMs(spec.durationMs)}`,
      )
    }
    case 'ramping':
      return fromStages(
        checkStages(spec.stages),
        spec.startRate ?? 0,
        `ramping ${describeStages(spec.startRate ?? 0, spec.stages)}`,
      )
    case 'poisson': {
      const seed = spec.seed ?? 1
      const random = createRandom(seed, 'poisson-arrivals')
      const gap = (): number => -Math.log(random.uniform())
      if (spec.stages !== undefined) {
        return fromStages(
          checkStages(spec.stages),
          spec.startRate ?? 0,
          `poisson ${describeStages(spec.startRate ?? 0, spec.stages)} (seed ${seed})`,
          gap,
        )
      }
      const rate = checkRate(spec.rate ?? Number.NaN, 'rate')
      const durationMs = checkDuration(spec.durationMs ?? Number.NaN)
      return fromStages(
        [{ durationMs, target: rate }],
        rate,
        `poisson ${fmtRate(rate)} for ${fmtMs(durationMs)} (seed ${seed})`,
        gap,
      )
    }
    case 'replay':
      return fromOffsets(spec.offsetsMs, spec.speed ?? 1)
  }
}

/**
 * Parses k6-style stages, `30s:100/s,60s:800/s,30s:0/s` (each `<duration>:<rate>`, the rate reached at the end of the
 * stage), with core's grammar.
 */
export function parseStages(
  text: string,
  parse: { duration: (t: string) => number; rate: (t: string) => number },
): RateStage[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (items.length === 0) throw badStages(text, 'no stages given')
  return items.map((item) => {
    const colon = item.indexOf(':')
    if (colon <= 0) throw badStages(text, `"${item}" is not <duration>:<rate>`)
    let durationMs: number
    let target: number
    try {
      durationMs = parse.duration(item.slice(0, colon).trim())
      target = parse.rate(item.slice(colon + 1).trim())
    } catch (cause) {
      throw badStages(text, `"${item}": ${(cause as Error).message}`, cause)
    }
    return { durationMs, target }
  })
}

function badStages(text: string, problem: string, cause?: unknown): TrafficError {
  return new TrafficError('MG_LOAD_BAD_STAGES', `stages "${text}": ${problem}.`, {
    hint: 'Write stages as <duration>:<rate>, comma-separated, e.g. 30s:100/s,60s:800/s,30s:0/s.',
    ...(cause === undefined ? {} : { cause }),
  })
}

function fromStages(
  stages: readonly RateStage[],
  startRate: number,
  description: string,
  gap?: () => number,
): ArrivalSchedule {
  checkRate(startRate, 'start rate', true)
  // Segment j: from startMs over durationMs, rate r0 → r1 (per second); cumulative count at its start.
  const segments: { startMs: number; durationMs: number; r0: number; r1: number; count0: number }[] = []
  let t = 0
  let r = startRate
  let count = 0
  for (const stage of stages) {
    segments.push({ startMs: t, durationMs: stage.durationMs, r0: r, r1: stage.target, count0: count })
    count += ((r + stage.target) / 2) * (stage.durationMs / 1000)
    t += stage.durationMs
    r = stage.target
  }
  const total = count
  const durationMs = t
  let k = 0
  let target = gap === undefined ? 0 : gap()
  let j = 0
  return {
    description,
    durationMs,
    expectedCount: Math.floor(total + (gap === undefined ? 1 - 1e-9 : 0)),
    next(): number {
      if (target >= total) return Number.POSITIVE_INFINITY
      let segment = segments[j]
      while (
        segment !== undefined &&
        target >= segment.count0 + ((segment.r0 + segment.r1) / 2) * (segment.durationMs / 1000)
      ) {
        j++
        segment = segments[j]
      }
      if (segment === undefined) return Number.POSITIVE_INFINITY
      // Solve count0 + r0·τ + (r1 − r0)·τ²/(2d) = target for τ (seconds), in the form stable for any sign of r1 − r0.
      const delta = target - segment.count0
      const d = segment.durationMs / 1000
      const a = (segment.r1 - segment.r0) / (2 * d)
      const b = segment.r0
      const root = Math.sqrt(Math.max(0, b * b + 4 * a * delta))
      const tau = b + root === 0 ? 0 : (2 * delta) / (b + root)
      k++
      target = gap === undefined ? k : target + gap()
      return segment.startMs + tau * 1000
    },
  }
}

function fromOffsets(offsetsMs: ArrayLike<number>, speed: number): ArrivalSchedule {
  if (!(Number.isFinite(speed) && speed > 0))
    throw new TrafficError('MG_LOAD_BAD_OPTION', `replay speed must be a number > 0, got ${String(speed)}.`)
  const n = offsetsMs.length
  const last = n === 0 ? 0 : (offsetsMs[n - 1] as number) / speed
  let i = 0
  return {
    description: `replay of ${n.toLocaleString('en-US')} arrivals at ${speed}× speed`,
    durationMs: last,
    expectedCount: n,
    next(): number {
      if (i >= n) return Number.POSITIVE_INFINITY
      return (offsetsMs[i++] as number) / speed
    },
  }
}

function checkStages(stages: readonly RateStage[]): readonly RateStage[] {
  if (stages.length === 0)
    throw new TrafficError('MG_LOAD_BAD_STAGES', 'a ramping schedule needs at least one stage.', {
      hint: 'e.g. 30s:100/s,60s:800/s,30s:0/s',
    })
  for (const stage of stages) {
    checkDuration(stage.durationMs)
    checkRate(stage.target, 'stage target', true)
  }
  return stages
}

function checkRate(rate: number, what: string, zeroAllowed = false): number {
  if (!(Number.isFinite(rate) && (zeroAllowed ? rate >= 0 : rate > 0)))
    throw new TrafficError(
      'MG_LOAD_BAD_OPTION',
      `the ${what} must be a number of requests per second ${zeroAllowed ? '≥ 0' : '> 0'}, got ${String(rate)}.`,
    )
  return rate
}

function checkDuration(ms: number): number {
  if (!(Number.isFinite(ms) && ms > 0))
    throw new TrafficError('MG_LOAD_BAD_OPTION', `a duration must be > 0 ms, got ${String(ms)}.`)
  return ms
}

function describeStages(startRate: number, stages: readonly RateStage[]): string {
  return `${fmtRate(startRate)} → ${stages.map((s) => `${fmtRate(s.target)} over ${fmtMs(s.durationMs)}`).join(', ')}`
}

function fmtRate(rate: number): string {
  return `${Number(rate.toPrecision(6)).toLocaleString('en-US')}/s`
}

function fmtMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`
}
