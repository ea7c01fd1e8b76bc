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

  it('crosses to another thread as transferred typed columns and reads back the same pairs', () => {
    const batch = new ShadowStore(32)
    for (let i = 0; i < 20; i++) batch.add(pairAt(i))
    const { message, transfer } = batch.toMessage()
    const copy = structuredClone(message, { transfer })
    // the sender's buffers moved: nothing of the batch is left on its heap
    expect(transfer.every((buffer) => buffer.byteLength === 0)).toBe(true)
    expect(ShadowStore.fromMessage(copy).pairs()).toEqual(Array.from({ length: 20 }, (_, k) => pairAt(k)))
  })
})
