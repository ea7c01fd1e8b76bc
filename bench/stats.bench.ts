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
  fitLogisticRegression,
  hodgesLehmannShift,
  isotonicRegression,
  ksTest,
  mannWhitneyU,
  pearson,
  psi,
  rocAuc,
  spearman,
  wasserstein,
  wilcoxonSignedRank,
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
// paired differences, 0/1 labels for ROC AUC (a + b > 0, scored by a), a 3,000 × 3,000 Hodges–Lehmann pair and a
// 100,000 × 10 logistic regression design
const d = a.map((x, i) => x - (b[i] as number) + 0.001)
const labels = a.map((x, i) => (x + (b[i] as number) > 0 ? 1 : 0))
const HL = 3000
const COLS = 10
const ROWS = 100_000
const design = normals(ROWS * COLS, 0, 1, 3)
const outcome = new Float64Array(ROWS).map((_, i) => {
  let z = 0.3
  for (let j = 0; j < COLS; j++) z += (design[i * COLS + j] as number) * ((j % 3) - 1) * 0.5
  return (b[i] as number) < z ? 1 : 0
})
const dir = mkdtempSync(join(tmpdir(), 'mg-bench-stats-'))
try {
  writeFileSync(join(dir, 'a.f64'), Buffer.from(a.buffer))
  writeFileSync(join(dir, 'b.f64'), Buffer.from(b.buffer))
  writeFileSync(join(dir, 'x.f64'), Buffer.from(design.buffer))
  writeFileSync(join(dir, 'y.f64'), Buffer.from(outcome.buffer))

  const py = spawnSync(
    'python3',
    [
      '-c',
      `
import json, sys, time, numpy as np, scipy.stats as st, scipy.optimize as so
a = np.fromfile(sys.argv[1] + '/a.f64', dtype='<f8'); b = np.fromfile(sys.argv[1] + '/b.f64', dtype='<f8')
x = np.fromfile(sys.argv[1] + '/x.f64', dtype='<f8').reshape(-1, ${COLS}); y = np.fromfile(sys.argv[1] + '/y.f64', dtype='<f8')
d = a - b + 0.001; lab = (a + b > 0)
ha, hb = a[:${HL}], b[:${HL}]
def logistic():
    xa = np.hstack([x, np.ones((len(y), 1))]); pen = np.r_[np.full(x.shape[1], 1e-3), 0.0]
    def f(w):
        z = xa @ w; return float(np.mean(np.logaddexp(0, z) - y * z) + 0.5 * (pen * w) @ w)
    def g(w):
        p = 1 / (1 + np.exp(-(xa @ w))); return xa.T @ (p - y) / len(y) + pen * w
    def h(w):
        p = 1 / (1 + np.exp(-(xa @ w))); return (xa.T * (p * (1 - p))) @ xa / len(y) + np.diag(pen)
    return so.minimize(f, np.zeros(xa.shape[1]), jac=g, hess=h, method='trust-exact', options={'gtol': 1e-10})
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
  'wilcoxon': t(lambda: st.wilcoxon(d), 3),
  'auc': t(lambda: st.mannwhitneyu(a[lab], a[~lab]).statistic / (lab.sum() * (~lab).sum()), 3),
  'hl': t(lambda: np.median(np.subtract.outer(ha, hb)), 3),
  'isotonic': t(lambda: so.isotonic_regression(a), 3),
  'logistic': t(logistic, 3),
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
    'stats: wilcoxonSignedRank 1M differences vs scipy wilcoxon',
    time(() => wilcoxonSignedRank(d)),
    'ms',
    undefined,
    ref?.wilcoxon,
  )
  emit(
    'stats: rocAuc 1M scores vs scipy mannwhitneyu U/(n⁺n⁻)',
    time(() => rocAuc(a, labels)),
    'ms',
    undefined,
    ref?.auc,
  )
  emit(
    'stats: hodgesLehmannShift 3,000 vs 3,000 (estimate + 95% interval) vs numpy median of all 9M differences',
    time(() => hodgesLehmannShift(a.subarray(0, HL), b.subarray(0, HL))),
    'ms',
    undefined,
    ref?.hl,
  )
  emit(
    'stats: hodgesLehmannShift 1M vs 1M (10¹² differences, none listed)',
    time(() => hodgesLehmannShift(a, b)),
    'ms',
  )
  emit(
    'stats: isotonicRegression 1M vs scipy.optimize.isotonic_regression',
    time(() => isotonicRegression(a)),
    'ms',
    undefined,
    ref?.isotonic,
  )
  emit(
    'stats: fitLogisticRegression 100k × 10 (to gradient 1e-10) vs scipy.optimize trust-exact on the same objective',
    time(() => fitLogisticRegression(design, outcome, { columns: COLS })),
    'ms',
    undefined,
    ref?.logistic,
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
    'stats: HdrHistogram record 1M latencies (nanosecond values)',
    time(() => createLatencyHistogram().recordAll(lat)),
    'ms',
  )
} finally {
  rmSync(dir, { recursive: true, force: true })
}
