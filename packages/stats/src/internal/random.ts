/**
 * Mulberry32 (T. Ettinger, public domain): a tiny 32-bit generator whose whole state is one integer,
 * so a sketch can persist it in its JSON and continue the same stream after a reload.
 */
export function nextUint32(state: { s: number }): number {
  state.s = (state.s + 0x6d2b79f5) >>> 0
  let t = state.s
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return (t ^ (t >>> 14)) >>> 0
}
