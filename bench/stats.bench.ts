// Benchmarks for @modelgate/stats: each figure beside the same work done by scipy/numpy (python3 subprocess on
// the same bytes). Run: node --import tsx bench/stats.bench.ts   (or `pnpm bench stats`)
// Prints JSON lines { name, value, unit, target?, reference?, ratio? }; ratio = ours / reference (< 1: faster).
// Each figure is the best of 5 runs after a warm-up, on both sides (robust to other load on a shared machine).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createLatencyHistogram,
  createQuantileSketch,
  ksTest,
  mannWhitneyU,
  pearson,
  psi,
  spearman,
  wasserstein,
} from '@modelgate/stats'

// simple-statistics (named in the original design) is kept only here, as a baseline: see packages/stats/README.md
const ss = createRequire(import.meta.url)('simple-statistics') as {
  sampleCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number
}

const N = 1_000_000
const RUNS = 5

function normals(n: number, mean: number, sd: number, seed: number): Float64Array {
  let s = seed >>> 0
  const u = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return (s + 0.5) / 2 ** 32
  }
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = mean + sd * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u())
  return out
}

function time(fn: () => unknown): number {
  fn() // warm-up
  const t: number[] = []
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now()
    fn()
    t.push(performance.now() - t0)
  }
  return Math.min(...t)
}

const a = normals(N, 0, 1, 1)
const b = normals(N, 0.01, 1.02, 2)
const dir = mkdtempSync(join(tmpdir(), 'mg-bench-stats-'))
try {
  writeFileSync(join(dir, 'a.f64'), Buffer.from(a.buffer))
  writeFileSync(join(dir, 'b.f64'), Buffer.from(b.buffer))

  const py = spawnSync(
    'python3',
    [
      '-c',
      `
import json, sys, time, numpy as np, scipy.stats as st
a = np.fromfile(sys.argv[1] + '/a.f64', dtype='<f8'); b = np.fromfile(sys.argv[1] + '/b.f64', dtype='<f8')
def t(f, runs=${RUNS}):
    f(); xs = []
    for _ in range(runs):
        t0 = time.perf_counter(); f(); xs.append((time.perf_counter() - t0) * 1000)
    return min(xs)
def psi_np(ref, cur, bins=10, eps=1e-4):
    edges = np.unique(np.quantile(ref, np.arange(1, bins) / bins))
    rc = np.bincount(np.searchsorted(edges, ref, side='right'), minlength=len(edges) + 1)
    cc = np.bincount(np.searchsorted(edges, cur, side='right'), minlength=len(edges) + 1)
    pr = np.maximum(rc / rc.sum(), eps); pc = np.maximum(cc / cc.sum(), eps)
    return float(np.sum((pc - pr) * np.log(pc / pr)))
ks = st.ks_2samp(a, b)
out = {
  'ks': t(lambda: st.ks_2samp(a, b)), 'ksD': float(ks.statistic), 'ksP': float(ks.pvalue),
  'psi': t(lambda: psi_np(a, b)), 'psiValue': psi_np(a, b),
  'w1': t(lambda: st.wasserstein_distance(a, b)),
  'spearman': t(lambda: st.spearmanr(a, b), 3),
  'pearson': t(lambda: st.pearsonr(a, b)),
  'mwu': t(lambda: st.mannwhitneyu(a, b), 3),
}
print(json.dumps(out))
`,
      dir,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 20 },
  )
  const ref = py.status === 0 ? (JSON.parse(py.stdout.trim()) as Record<string, number>) : undefined
  if (ref === undefined) process.stderr.write(`python reference unavailable: ${py.stderr}\n`)

  const emit = (name: string, value: number, unit: string, target?: string, reference?: number): void => {
    const fig: Record<string, unknown> = { name, value: Number(value.toPrecision(4)), unit }
    if (target !== undefined) fig.target = target
    if (reference !== undefined) {
      fig.reference = Number(reference.toPrecision(4))
      fig.ratio = Number((value / reference).toPrecision(3))
    }
    process.stdout.write(`${JSON.stringify(fig)}\n`)
  }

  const ks = ksTest(a, b)
  if (
    ref !== undefined &&
    (Math.abs(ks.statistic - (ref.ksD as number)) > 1e-12 ||
      Math.abs((ks.pValue as number) - (ref.ksP as number)) > 1e-6)
  ) {
    process.stderr.write(
      `KS mismatch vs scipy: ours D=${ks.statistic} p=${ks.pValue}, scipy D=${ref.ksD} p=${ref.ksP}\n`,
    )
  }
  emit(
    'stats: ksTest 1M vs 1M (copy, sort, D, asymptotic p) vs scipy ks_2samp',
    time(() => ksTest(a, b)),
    'ms',
    '≤ 500 ms',
    ref?.ks,
  )
  const p = psi(a, b)
  if (ref !== undefined && Math.abs(p.statistic - (ref.psiValue as number)) > 1e-12) {
    process.stderr.write(`PSI mismatch vs numpy: ours ${p.statistic}, numpy ${ref.psiValue}\n`)
  }
  emit(
    'stats: psi 1M reference vs 1M current (10 quantile bins) vs numpy',
    time(() => psi(a, b)),
    'ms',
    '≤ 200 ms',
    ref?.psi,
  )
  emit(
    'stats: wasserstein 1M vs 1M vs scipy wasserstein_distance',
    time(() => wasserstein(a, b)),
    'ms',
    undefined,
    ref?.w1,
  )
  emit(
    'stats: pearson 1M pairs vs scipy pearsonr',
    time(() => pearson(a, b)),
    'ms',
    undefined,
    ref?.pearson,
  )
  emit(
    'stats: spearman 1M pairs vs scipy spearmanr',
    time(() => spearman(a, b)),
    'ms',
    undefined,
    ref?.spearman,
  )
  emit(
    'stats: mannWhitneyU 1M vs 1M vs scipy mannwhitneyu',
    time(() => mannWhitneyU(a, b)),
    'ms',
    undefined,
    ref?.mwu,
  )
  emit(
    'stats: simple-statistics sampleCorrelation 1M pairs (for comparison with pearson)',
    time(() => ss.sampleCorrelation(a, b)),
    'ms',
  )
  emit(
    'stats: KLL sketch addAll 1M (k=200)',
    time(() => createQuantileSketch({ k: 200 }).addAll(a)),
    'ms',
  )
  const lat = new Float64Array(N).map((_, i) => 1 + (a[i] as number) ** 2 * 20)
  emit(
    'stats: HdrHistogram record 1M latencies',
    time(() => createLatencyHistogram().recordAll(lat)),
    'ms',
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
