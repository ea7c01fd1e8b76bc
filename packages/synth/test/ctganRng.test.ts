// The CTGAN generator's random streams: xoshiro128** against the published algorithm (Blackman & Vigna 2018,
// values computed once with a 20-line Python transcription of the reference C code), and the bulk fills that
// sampling uses continuing exactly the stream of the one-at-a-time draws.
import { describe, expect, it } from 'vitest'
import { Rng } from '../src/ctgan/internal/Rng.js'

describe('CTGAN Rng', () => {
  it('produces the xoshiro128** reference sequence from state [1, 2, 3, 4] and reports the state it reached', () => {
    const rng = new Rng([1, 2, 3, 4])
    expect(Array.from({ length: 6 }, () => rng.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ])
    expect(rng.state()).toEqual([1110993931, 286554632, 2431677446, 2165318166])
  })

  it('keeps words at and above 2^31 as unsigned in state() and restores them from it', () => {
    const a = new Rng([0xffffffff, 0x80000000, 7, 0xdeadbeef])
    expect(a.state()).toEqual([0xffffffff, 0x80000000, 7, 0xdeadbeef])
    for (let i = 0; i < 100; i++) a.nextUint32()
    const b = new Rng(a.state())
    expect(b.state().every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)).toBe(true)
    expect(Array.from({ length: 50 }, () => b.nextUint32())).toEqual(Array.from({ length: 50 }, () => a.nextUint32()))
  })

  it('fillUniform64 gives the values successive uniform() calls would, and leaves the generator where they would', () => {
    const bulk = new Rng(42)
    const single = new Rng(42)
    const out = new Float64Array(1000).fill(-1)
    bulk.fillUniform64(out, 100, 900)
    expect(out[99]).toBe(-1)
    expect(out[900]).toBe(-1)
    for (let i = 100; i < 900; i++) expect(out[i]).toBe(single.uniform())
    expect(bulk.state()).toEqual(single.state())
  })

  it('fillNormal in pieces continues one stream across its slow path: the same values as one call, then the same state', () => {
    const whole = new Rng(7).fillNormal(new Float32Array(100_000))
    const rng = new Rng(7)
    const pieces = new Float32Array(100_000)
    // Piece sizes 1…, so pieces end right after tail draws too (≈ 2.7% of values take the slow path).
    for (let at = 0, size = 1; at < pieces.length; at += size, size = ((size * 3) % 97) + 1)
      rng.fillNormal(pieces.subarray(at, Math.min(pieces.length, at + size)))
    expect(pieces).toEqual(whole)
    const again = new Rng(7)
    again.fillNormal(new Float32Array(100_000))
    expect(rng.state()).toEqual(again.state())
    expect(rng.nextUint32()).toBe(again.nextUint32())
  })
})
