import { createRandom } from '@modelgate/core'
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

describe('LabelJoin checkpoint encoding against a plain model', () => {
  it('equals the Map-ordered encoding after every kind of change, across chunks and compactions', () => {
    const capacity = 6000
    const ttl = 5000
    const join = new LabelJoin(capacity, ttl, (label) => label === 1)
    // the model: a Map in arrival order, with the join's rules spelled out plainly
    const model = new Map<string, { score: number; at: number; unit: number }>()
    const rng = createRandom(7, 'label-join-model')
    const random = () => rng.uniform()
    let now = 0
    let fresh = 0
    /** Mostly an id still waiting (its chunk may be encoded already), sometimes one gone. */
    const recent = () => `n${Math.max(0, fresh - 1 - Math.floor(random() * capacity * 1.2))}`
    for (let op = 1; op <= 40_000; op++) {
      now += random() < 0.5 ? 1 : 0
      const r = random()
      if (r < 0.94) {
        // mostly new ids, some again (an update in place, or a return after eviction)
        const id = r < 0.92 ? `n${fresh++}` : recent()
        const entry = { score: Math.round(random() * 1000) / 1000, at: now, unit: Math.floor(now / 1000) * 1000 }
        join.addInference(id, entry.score, entry.at, entry.unit)
        const known = model.get(id)
        if (known !== undefined) Object.assign(known, entry)
        else {
          model.set(id, entry)
          while (model.size > capacity) model.delete(model.keys().next().value as string)
        }
      } else if (r < 0.995) {
        const id = recent()
        expect(join.addLabel(id, 1)).toBe(model.delete(id))
      } else {
        join.take(now)
        for (const [id, w] of model) {
          if (now - w.at <= ttl) break
          model.delete(id)
        }
      }
      if (op % 40 === 0) {
        const ids: string[] = []
        const at: number[] = []
        const units: number[] = []
        const scores: number[] = []
        let a = 0
        let u = 0
        for (const [id, w] of model) {
          ids.push(id)
          scores.push(w.score)
          at.push(w.at - a)
          units.push(w.unit - u)
          a = w.at
          u = w.unit
        }
        const { waiting } = join.toJSON()
        expect(waiting.ids).toEqual(ids)
        expect(waiting.at).toEqual(at)
        expect(waiting.units).toEqual(units)
        expect([...new Float64Array(Uint8Array.from(Buffer.from(waiting.scores, 'base64')).buffer)]).toEqual(scores)
      }
    }
    expect(fresh).toBeGreaterThan(3 * capacity) // the arrival line was compacted, chunks were reused and dropped
  })
})
