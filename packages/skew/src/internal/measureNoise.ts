import type { Table } from '@modelgate/core'
import { alignFeature, asStrings } from './alignedFeature.js'
import type { FeatureNoise } from './compareFeature.js'

/**
 * How much a path disagrees with itself (Diffy's primary vs secondary): for each feature, the largest
 * numeric self-difference and the matched rows whose value changed kind (null ↔ value) or category.
 * `index1`/`index2` map matched rows into the two runs (-1 where a run lacks the row).
 */
export function measureNoise(
  run1: Table,
  run2: Table,
  features: readonly string[],
  index1: Int32Array,
  index2: Int32Array,
): Map<string, FeatureNoise> {
  const m = index1.length
  const present = new Int32Array(m)
  for (let r = 0; r < m; r++) present[r] = (index1[r] as number) >= 0 && (index2[r] as number) >= 0 ? 1 : 0
  const safe1 = index1.map((v, r) => (present[r] === 1 ? v : 0))
  const safe2 = index2.map((v, r) => (present[r] === 1 ? v : 0))
  const out = new Map<string, FeatureNoise>()
  for (const feature of features) {
    const a = alignFeature(run1, feature, safe1)
    const b = alignFeature(run2, feature, safe2)
    const noisy = new Uint8Array(m)
    let floor = 0
    if (a.type === 'missing' || b.type === 'missing') {
      out.set(feature, { floor, noisy })
      continue
    }
    if (a.type !== 'string' && b.type !== 'string') {
      for (let r = 0; r < m; r++) {
        if (present[r] === 0) continue
        if (a.valid[r] !== b.valid[r]) noisy[r] = 1
        else if (a.valid[r] === 1) {
          const d = Math.abs((a.values[r] as number) - (b.values[r] as number))
          if (d > floor) floor = d
        }
      }
    } else {
      const x = asStrings(a)
      const y = asStrings(b)
      for (let r = 0; r < m; r++) if (present[r] === 1 && x[r] !== y[r]) noisy[r] = 1
    }
    out.set(feature, { floor, noisy })
  }
  return out
}

/** Noise of two paths combined: the larger floor, and a row is noisy if either path was noisy on it. */
export function combineNoise(a: FeatureNoise | undefined, b: FeatureNoise | undefined): FeatureNoise | null {
  if (a === undefined) return b ?? null
  if (b === undefined) return a
  const noisy = new Uint8Array(a.noisy.length)
  for (let r = 0; r < noisy.length; r++) noisy[r] = (a.noisy[r] as number) | (b.noisy[r] as number)
  return { floor: Math.max(a.floor, b.floor), noisy }
}
