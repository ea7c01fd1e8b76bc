import { describe, expect, it } from 'vitest'
import { LabelJoin } from '../src/internal/LabelJoin.js'

describe('LabelJoin in a checkpoint', () => {
  it('writes the inferences still waiting in arrival order, passing over the joined, evicted and expired ones', () => {
    const join = new LabelJoin(4, 1000, (label) => label === 1)
    join.addInference('a', 0.1, 0, 0) // expires
    join.addInference('b', 0.2, 500, 0) // evicted (the buffer holds 4)
    join.addInference('c', 0.3, 600, 0) // joined
    join.addInference('d', 0.4, 700, 1000)
    join.take(1200) // a is older than the time-to-live
    join.addInference('e', 0.5, 800, 1000)
    join.addInference('d', 0.45, 900, 1000) // again: the new score, the old place in line
    expect(join.addLabel('c', 1)).toBe(true)
    join.addInference('f', 0.6, 1000, 1000)
    join.addInference('g', 0.7, 1100, 1000) // b goes
    const json = join.toJSON()
    expect(json.waiting.ids).toEqual(['d', 'e', 'f', 'g'])
    expect(json.waiting.at).toEqual([900, -100, 200, 100]) // differences from the previous entry
    expect(json.waiting.units).toEqual([1000, 0, 0, 0])
    expect([...new Float64Array(Uint8Array.from(Buffer.from(json.waiting.scores, 'base64')).buffer)]).toEqual([
      0.45, 0.5, 0.6, 0.7,
    ])
    const restored = new LabelJoin(4, 1000, (label) => label === 1)
    restored.restore(json)
    expect(restored.toJSON()).toEqual(json)
  })
})
