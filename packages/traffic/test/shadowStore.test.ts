import type { ShadowPair } from '@modelgate/traffic'
import { describe, expect, it } from 'vitest'
import { ShadowStore } from '../src/internal/shadowStore.js'

/** Pairs with every shape a pair can take: errors, a secondary or none, labels, field differences, many scores. */
function pairAt(i: number): ShadowPair {
  const scores = (shift: number): Record<string, number> => {
    const out: Record<string, number> = { score: i / 100 + shift, 'probs.0': 0.25 }
    // a wide answer every 7th pair: more score fields than the store has typed columns for
    if (i % 7 === 0) for (let k = 0; k < 80; k++) out[`embedding.${k}`] = k + shift
    return out
  }
  return {
    at: 1_700_000_000_000 + i,
    path: i % 3 === 0 ? '/predict' : `/v1/models/m${i % 5}`,
    primary: {
      status: 200,
      latencyMs: 1 + i,
      scores: scores(0),
      labels: { decision: i % 2 === 0 ? 'allow' : 'block' },
    },
    candidate:
      i % 4 === 1
        ? { status: 0, latencyMs: Number.NaN, error: 'timeout', scores: {}, labels: {} }
        : {
            status: i % 4 === 2 ? 503 : 200,
            latencyMs: 2 + i,
            ...(i % 4 === 2 ? { error: 'status' as const } : {}),
            scores: i % 4 === 2 ? {} : scores(0.01),
            labels: i % 4 === 2 ? {} : { decision: 'allow' },
            ...(i % 4 === 3 ? { addedFields: ['extra'], missingFields: ['probs.1'] } : {}),
          },
    ...(i % 2 === 0
      ? { secondary: { status: 200, latencyMs: 3 + i, scores: scores(0.001), labels: { decision: 'allow' } } }
      : {}),
  }
}

describe('ShadowStore', () => {
  it('gives back the pairs it was given, oldest first, and keeps only the last `capacity` of them', () => {
    const store = new ShadowStore(10)
    for (let i = 0; i < 4; i++) store.add(pairAt(i))
    expect(store.pairs()).toEqual([0, 1, 2, 3].map(pairAt))
    for (let i = 4; i < 27; i++) store.add(pairAt(i))
    expect(store.total).toBe(27)
    expect(store.size).toBe(10)
    expect(store.pairs()).toEqual(Array.from({ length: 10 }, (_, k) => pairAt(17 + k)))
    expect(store.recent(3)).toEqual([26, 25, 24].map(pairAt))
  })

  it('clears a reused slot: a pair without a secondary, a label or a score shows none of its predecessor', () => {
    const store = new ShadowStore(1)
    store.add(pairAt(0))
    const bare: ShadowPair = {
      at: 1,
      path: '/predict',
      primary: { status: 200, latencyMs: 1, scores: {}, labels: {} },
      candidate: { status: 200, latencyMs: 1, scores: {}, labels: {} },
    }
    store.add(bare)
    expect(store.pairs()).toEqual([bare])
  })

  it('summarizes the kept pairs on its columns as a loop over the pair objects does', () => {
    const store = new ShadowStore(50)
    for (let i = 0; i < 130; i++) store.add(pairAt(i))
    // the reference: the status's figures computed from the pairs themselves (as the status did before the columns)
    const kept = Array.from({ length: 50 }, (_, k) => pairAt(80 + k))
    const errors: Record<string, Record<string, number>> = { primary: {}, candidate: {}, secondary: {} }
    const scores: Record<string, { compared: number; exceeded: number; sum: number; sumAbs: number }> = {}
    const labels: Record<string, { compared: number; agreed: number }> = {}
    let added = 0
    let missing = 0
    for (const pair of kept) {
      for (const target of ['primary', 'candidate', 'secondary'] as const) {
        const error = pair[target]?.error
        if (error !== undefined) (errors[target] as Record<string, number>)[error] = (errors[target]?.[error] ?? 0) + 1
      }
      for (const [field, p] of Object.entries(pair.primary.scores)) {
        const c = pair.candidate.scores[field]
        if (c === undefined) continue
        const f = scores[field] ?? { compared: 0, exceeded: 0, sum: 0, sumAbs: 0 }
        scores[field] = f
        const s = pair.secondary?.scores[field]
        f.compared++
        f.sum += c - p
        f.sumAbs += Math.abs(c - p)
        if (Math.abs(c - p) > Math.max(0.005, s === undefined ? 0 : Math.abs(s - p))) f.exceeded++
      }
      for (const [field, p] of Object.entries(pair.primary.labels)) {
        const c = pair.candidate.labels[field]
        if (c === undefined) continue
        const f = labels[field] ?? { compared: 0, agreed: 0 }
        labels[field] = f
        f.compared++
        if (c === p) f.agreed++
      }
      if ((pair.candidate.addedFields?.length ?? 0) > 0) added++
      if ((pair.candidate.missingFields?.length ?? 0) > 0) missing++
    }
    const summary = store.summarize(0.005)
    expect(summary).toMatchObject({ size: 50, errors, labels, added, missing })
    expect(Object.keys(summary.scores).sort()).toEqual(Object.keys(scores).sort())
    for (const [field, f] of Object.entries(scores)) {
      expect(summary.scores[field]).toMatchObject({ compared: f.compared, exceeded: f.exceeded })
      expect(summary.scores[field]?.sum).toBeCloseTo(f.sum, 9)
      expect(summary.scores[field]?.sumAbs).toBeCloseTo(f.sumAbs, 9)
    }
    expect(scores['embedding.70']?.compared).toBeGreaterThan(0)
  })

  it('crosses to another thread as a copy of its columns and reads back the same pairs, the sender unchanged', () => {
    const store = new ShadowStore(32)
    for (let i = 0; i < 40; i++) store.add(pairAt(i))
    const copy = structuredClone(store.toMessage())
    store.add(pairAt(40))
    expect(ShadowStore.fromMessage(copy).pairs()).toEqual(Array.from({ length: 32 }, (_, k) => pairAt(k + 8)))
    expect(store.pairs()).toEqual(Array.from({ length: 32 }, (_, k) => pairAt(k + 9)))
  })
})
