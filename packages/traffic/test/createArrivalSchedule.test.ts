import { parseDuration, parseRate } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import type { ArrivalSchedule } from '../src/index.js'
import { createArrivalSchedule, parseStages } from '../src/index.js'

function drain(schedule: ArrivalSchedule): number[] {
  const out: number[] = []
  for (let t = schedule.next(); t !== Number.POSITIVE_INFINITY; t = schedule.next()) out.push(t)
  return out
}

const grammar = { duration: parseDuration, rate: parseRate }

describe('createArrivalSchedule', () => {
  it('spaces a constant rate evenly: 500/s for 2s is 1,000 arrivals 2 ms apart', () => {
    const times = drain(createArrivalSchedule({ kind: 'constant', rate: 500, durationMs: 2000 }))
    expect(times).toHaveLength(1000)
    expect(times[0]).toBe(0)
    expect(times[1]).toBeCloseTo(2, 9)
    expect(times.at(-1)).toBeCloseTo(1998, 6)
  })

  it('follows a ramp exactly: arrivals before t match ∫rate, stage by stage', () => {
    // 0 → 100/s over 10 s (500 arrivals), hold 100/s for 5 s (500), 100 → 0 over 10 s (500)
    const stages = parseStages('10s:100/s,5s:100/s,10s:0/s', grammar)
    const times = drain(createArrivalSchedule({ kind: 'ramping', stages }))
    expect(times).toHaveLength(1500)
    const before = (t: number) => times.filter((x) => x < t).length
    // ∫0^5 10t dt = 125 arrivals in the first 5 s; k-th arrival at sqrt(2k/10) s
    expect(before(5000)).toBe(125)
    expect(before(10_000)).toBe(500)
    expect(before(15_000)).toBe(1000)
    expect(times[200]).toBeCloseTo(Math.sqrt((2 * 200) / 10) * 1000, 6)
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThan(times[i - 1] as number)
  })

  it('draws seeded Poisson arrivals: reproducible, mean count rate × duration, exponential gaps', () => {
    const a = drain(createArrivalSchedule({ kind: 'poisson', rate: 1000, durationMs: 20_000, seed: 7 }))
    const b = drain(createArrivalSchedule({ kind: 'poisson', rate: 1000, durationMs: 20_000, seed: 7 }))
    const c = drain(createArrivalSchedule({ kind: 'poisson', rate: 1000, durationMs: 20_000, seed: 8 }))
    expect(a).toEqual(b)
    expect(a).not.toEqual(c)
    // 20,000 expected, sd 141: within 5 sd
    expect(Math.abs(a.length - 20_000)).toBeLessThan(710)
    const gaps = a.slice(1).map((t, i) => t - (a[i] as number))
    const mean = gaps.reduce((s, g) => s + g, 0) / gaps.length
    const cv = Math.sqrt(gaps.reduce((s, g) => s + (g - mean) ** 2, 0) / gaps.length) / mean
    expect(mean).toBeCloseTo(1, 1)
    expect(cv).toBeGreaterThan(0.95) // exponential: coefficient of variation 1 (evenly spaced: 0)
    expect(cv).toBeLessThan(1.05)
  })

  it('replays recorded offsets at a speed factor', () => {
    const times = drain(createArrivalSchedule({ kind: 'replay', offsetsMs: [0, 10, 10, 40], speed: 2 }))
    expect(times).toEqual([0, 5, 5, 20])
  })

  it('refuses stages that do not parse, naming the stage', () => {
    expect(() => parseStages('30s:100/s,60:800/s', grammar)).toThrow(/"60:800\/s"/)
    expect(() => parseStages('30s-100/s', grammar)).toThrow(/MG_LOAD_BAD_STAGES|is not <duration>:<rate>/)
    expect(() => createArrivalSchedule({ kind: 'constant', rate: 0, durationMs: 1000 })).toThrow(/> 0/)
  })
})
