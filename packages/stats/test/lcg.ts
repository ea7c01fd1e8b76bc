/**
 * Uniforms in (0, 1) from a 32-bit linear congruential generator (Numerical Recipes' constants): test data that is
 * the same on every run and machine, independent of the library's own generator.
 */
export function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return (s + 0.5) / 2 ** 32
  }
}

/** n draws from N(mean, 1) by Box–Muller on `lcg(seed)`. */
export function normals(n: number, mean: number, seed: number): Float64Array {
  const u = lcg(seed)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = mean + Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u())
  return out
}
