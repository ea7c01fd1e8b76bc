// What the shadow proxy's kept pairs cost its garbage collector: the ring of the last 10,000 pairs as objects (one
// ShadowPair per request, about ten heap objects each — the proxy's store until 2026-12-06) against the typed columns
// of ShadowStore. Measured in one process, interleaved old/new: the pause of a full (mark-compact) GC with the ring
// full, the heap it holds, and the hand-off of a batch of 256 pairs to another thread (structured clone of the objects
// vs the columns, copied; since 2026-12-06 evening the proxy sends its pairs to the analysis thread only for a
// verdict). Typed arrays' buffers live outside the JavaScript heap (the collector does not trace them): "heap held"
// counts what it traces.
//   node --import tsx bench/shadow-store.bench.ts [rounds=7] [capacity=10000]
import { loadavg } from 'node:os'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import type { ShadowPair } from '@modelgate/traffic'
import { ShadowStore } from '../packages/traffic/src/internal/shadowStore.js'

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void
const rounds = Number(process.argv[2] ?? 7)
const capacity = Number(process.argv[3] ?? 10_000)
const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')

/** A pair as the proxy records one for a fraud model's answer: a score, two class probabilities and a label. */
function pairAt(i: number): ShadowPair {
  const score = (i % 1000) / 1000
  return {
    at: 1_765_000_000_000 + i,
    path: '/predict',
    primary: {
      status: 200,
      latencyMs: 1 + (i % 7) / 10,
      scores: { score, 'probs.0': 1 - score, 'probs.1': score },
      labels: { decision: score > 0.5 ? 'block' : 'allow' },
    },
    candidate: {
      status: 200,
      latencyMs: 1.2 + (i % 5) / 10,
      scores: { score: score + 0.001, 'probs.0': 1 - score - 0.001, 'probs.1': score + 0.001 },
      labels: { decision: score + 0.001 > 0.5 ? 'block' : 'allow' },
    },
  }
}

/** The old store: a ring of pair objects. */
class ObjectRing {
  readonly ring: (ShadowPair | undefined)[]
  next = 0
  constructor(readonly capacity: number) {
    this.ring = new Array<ShadowPair | undefined>(capacity)
  }
  add(pair: ShadowPair): void {
    this.ring[this.next] = pair
    this.next = (this.next + 1) % this.capacity
  }
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[s.length >> 1] as number
}

/**
 * A full GC with what is alive now: its pause (wall, ms) and its CPU time (user + system of the process, all of V8's
 * helper threads included, ms — what contention does not stretch), medians of 3, and the heap in use after it, MB.
 */
function fullGc(): { pauseMs: number; cpuMs: number; heapMb: number } {
  const pauses: number[] = []
  const cpu: number[] = []
  for (let i = 0; i < 3; i++) {
    const c = process.cpuUsage()
    const t = performance.now()
    gc()
    pauses.push(performance.now() - t)
    const d = process.cpuUsage(c)
    cpu.push((d.user + d.system) / 1000)
  }
  return { pauseMs: median(pauses), cpuMs: median(cpu), heapMb: process.memoryUsage().heapUsed / 2 ** 20 }
}

type Figures = { pauseMs: number[]; cpuMs: number[]; heapMb: number[]; handoffUs: number[] }
const figures = (): Figures => ({ pauseMs: [], cpuMs: [], heapMb: [], handoffUs: [] })
const result = { empty: figures(), objects: figures(), columns: figures() }
for (let r = 0; r < rounds; r++) {
  for (const kind of ['empty', 'objects', 'columns'] as const) {
    const keep: ObjectRing | ShadowStore | null =
      kind === 'empty' ? null : kind === 'objects' ? new ObjectRing(capacity) : new ShadowStore(capacity)
    // the ring wraps once: every slot has been replaced, as in a proxy that has run a while
    if (keep !== null) for (let i = 0; i < capacity * 2; i++) keep.add(pairAt(i))
    const { pauseMs, cpuMs, heapMb } = fullGc()
    result[kind].pauseMs.push(pauseMs)
    result[kind].cpuMs.push(cpuMs)
    result[kind].heapMb.push(heapMb)
    // keeps the ring alive through the collections above
    if (keep !== null && keep.capacity !== capacity) throw new Error('unreachable')
    if (kind === 'empty') continue
    // the hand-off of one batch of 256 pairs to the analysis thread, averaged over 200 batches
    const t = performance.now()
    for (let b = 0; b < 200; b++) {
      if (kind === 'objects') {
        const batch: ShadowPair[] = []
        for (let i = 0; i < 256; i++) batch.push(pairAt(b * 256 + i))
        structuredClone({ type: 'pairs', pairs: batch })
      } else {
        const batch = new ShadowStore(256)
        for (let i = 0; i < 256; i++) batch.add(pairAt(b * 256 + i))
        structuredClone({ type: 'pairs', batch: batch.toMessage() })
      }
    }
    result[kind].handoffUs.push(((performance.now() - t) * 1000) / 200)
  }
}
const fmt = (xs: readonly number[]): string => xs.map((x) => x.toFixed(2)).join(', ')
for (const [metric, unit, what] of [
  ['cpuMs', 'ms', 'CPU time of a full GC with the ring full (all GC threads; an empty heap: reference below)'],
  ['pauseMs', 'ms', 'wall pause of a full GC with the ring full'],
  ['heapMb', 'MB', 'JavaScript heap in use with the ring full'],
  ['handoffUs', 'µs', 'hand-off of 256 pairs to the analysis thread (build + serialize), per batch'],
] as const) {
  process.stdout.write(
    `${JSON.stringify({
      name: `shadow store, ${capacity} pairs: ${what} — typed columns (reference: pair objects)`,
      value: median(result.columns[metric]),
      unit,
      reference: median(result.objects[metric]),
      ratio: median(result.columns[metric]) / median(result.objects[metric]),
      // the least disturbed round of each (other processes take the cores in the middle of a pause)
      min: Math.min(...result.columns[metric]),
      referenceMin: Math.min(...result.objects[metric]),
      columns: fmt(result.columns[metric]),
      objects: fmt(result.objects[metric]),
      ...(metric === 'handoffUs' ? {} : { emptyHeap: fmt(result.empty[metric]) }),
      load: load(),
    })}\n`,
  )
}
