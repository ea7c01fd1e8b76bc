import type { CopulaParams } from './modelFile.js'
import { laplace } from './internal/dp.js'
import { repairCorrelation } from './internal/linalg.js'
import type { Random } from './internal/random.js'
import { normalPpf } from './internal/special.js'

export interface CopulaDimInput {
  readonly column: string
  readonly part: 'value' | 'null'
  /** Ordinal key per row; NaN = missing for this dimension. */
  readonly keys: Float64Array
}

export interface FitGaussianCopulaOptions {
  readonly random: Random
  /** Rows used to estimate the correlation (a seeded subsample when the table is larger). Default 100,000. */
  readonly maxRows?: number
  /** DP budget for the whole correlation matrix (Laplace-noised Kendall's τ per pair, as in DPCopula). */
  readonly epsilon?: number | null
}

/**
 * Fits the correlation of a Gaussian copula on normal scores (Φ⁻¹ of randomized-rank pseudo-observations,
 * Genest, Ghoudi & Rivest 1995), so ties (categories, point masses) become uniform draws inside their
 * frequency interval. Correlations are estimated pairwise over rows where both dimensions are present
 * (missingness is its own dimension), then repaired to the nearest positive definite correlation matrix.
 * With `epsilon`, each pair uses a Laplace-noised Kendall's τ mapped by sin(πτ/2) (Li, Xiong & Jiang 2014).
 */
export function fitGaussianCopula(dims: readonly CopulaDimInput[], numRows: number, options: FitGaussianCopulaOptions): CopulaParams {
  const d = dims.length
  const maxRows = options.maxRows ?? 100_000
  const rows = selectRows(numRows, maxRows, options.random)
  const m = rows.length
  const scores: Float64Array[] = dims.map((dim) => normalScores(dim.keys, rows, options.random))
  const corr = new Float64Array(d * d)
  const epsilon = options.epsilon ?? null
  const pairs = (d * (d - 1)) / 2
  for (let i = 0; i < d; i++) {
    corr[i * d + i] = 1
    const a = scores[i] as Float64Array
    for (let j = i + 1; j < d; j++) {
      const b = scores[j] as Float64Array
      let r: number
      if ((dims[i] as CopulaDimInput).column === (dims[j] as CopulaDimInput).column) r = 0
      else if (epsilon !== null) {
        const tau = kendallTau(a, b) + laplace(options.random, 4 / (m + 1) / (epsilon / pairs))
        r = Math.sin((Math.PI / 2) * Math.max(-1, Math.min(1, tau)))
      } else r = pearsonPairwise(a, b)
      const clipped = Math.max(-0.999, Math.min(0.999, r))
      corr[i * d + j] = clipped
      corr[j * d + i] = clipped
    }
  }
  const repaired = repairCorrelation(corr, d)
  const matrix: number[][] = []
  for (let i = 0; i < d; i++) {
    const row: number[] = []
    for (let j = 0; j < d; j++) row.push(i === j ? 1 : Math.round((repaired[i * d + j] as number) * 1e6) / 1e6)
    matrix.push(row)
  }
  return { dims: dims.map((x) => ({ column: x.column, part: x.part })), correlation: matrix }
}

function selectRows(n: number, max: number, random: Random): Uint32Array {
  if (n <= max) {
    const all = new Uint32Array(n)
    for (let i = 0; i < n; i++) all[i] = i
    return all
  }
  // Selection sampling (Knuth's Algorithm S): a sorted uniform subset of size max.
  const out = new Uint32Array(max)
  let chosen = 0
  for (let i = 0; i < n && chosen < max; i++) {
    if ((n - i) * random.uniform() < max - chosen) out[chosen++] = i
  }
  return out
}

/** Normal scores of the selected rows; NaN where the key is missing. Ties broken at random. */
export function normalScores(keys: Float64Array, rows: Uint32Array, random: Random): Float64Array {
  const m = rows.length
  const out = new Float64Array(m).fill(Number.NaN)
  const idx: number[] = []
  const jitter = new Float64Array(m)
  for (let r = 0; r < m; r++) {
    jitter[r] = random.uniform()
    if (!Number.isNaN(keys[rows[r] as number] as number)) idx.push(r)
  }
  idx.sort((x, y) => (keys[rows[x] as number] as number) - (keys[rows[y] as number] as number) || (jitter[x] as number) - (jitter[y] as number))
  const count = idx.length
  for (let rank = 0; rank < count; rank++) out[idx[rank] as number] = normalPpf((rank + 0.5) / count)
  return out
}

function pearsonPairwise(a: Float64Array, b: Float64Array): number {
  let n = 0
  let sa = 0
  let sb = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number
    const y = b[i] as number
    if (x === x && y === y) {
      n++
      sa += x
      sb += y
    }
  }
  if (n < 3) return 0
  const ma = sa / n
  const mb = sb / n
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number
    const y = b[i] as number
    if (x === x && y === y) {
      sab += (x - ma) * (y - mb)
      saa += (x - ma) ** 2
      sbb += (y - mb) ** 2
    }
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0
}

/** Kendall's τ of two tie-free score vectors over rows where both are present (Knight 1966, O(n log n)). */
function kendallTau(a: Float64Array, b: Float64Array): number {
  const pairs: [number, number][] = []
  for (let i = 0; i < a.length; i++) if (a[i] === a[i] && b[i] === b[i]) pairs.push([a[i] as number, b[i] as number])
  const n = pairs.length
  if (n < 2) return 0
  pairs.sort((p, q) => p[0] - q[0])
  const ys = Float64Array.from(pairs, (p) => p[1])
  const tmp = new Float64Array(n)
  let swaps = 0
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n)
      const hi = Math.min(lo + 2 * width, n)
      let i = lo
      let j = mid
      let k = lo
      while (i < mid && j < hi) {
        if ((ys[i] as number) <= (ys[j] as number)) tmp[k++] = ys[i++] as number
        else {
          tmp[k++] = ys[j++] as number
          swaps += mid - i
        }
      }
      while (i < mid) tmp[k++] = ys[i++] as number
      while (j < hi) tmp[k++] = ys[j++] as number
    }
    ys.set(tmp)
  }
  const total = (n * (n - 1)) / 2
  return (total - 2 * swaps) / total
}
