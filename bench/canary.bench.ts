// The canary judge (issue #17) on 100,000 shadow pairs. Run: `pnpm bench canary` (builds first). Prints JSON lines
// { name, value, unit, load } — each timing the best of RUNS after a warm-up, with the 1-minute load average beside
// it: the machine has 2 cores shared with other jobs, so a loaded figure is an upper bound. The statistical pieces
// are timed alone too, and scipy's Wilcoxon and Mann–Whitney on the same differences/samples (when python3-scipy is
// installed) give a reference: ratio = ours / scipy (< 1: faster). scipy has no Hodges–Lehmann interval.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { hodgesLehmann, hodgesLehmannShift, mannWhitneyU, wilcoxonSignedRank } from '@modelgate/stats'
import { canaryAnalysisResult, judgeCanary } from '@modelgate/traffic'
import { simulateShadow } from '../packages/traffic/test/support/simulateShadow.js'

const PAIRS = 100_000
const RUNS = 3

function emit(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  process.stdout.write(
    `${JSON.stringify({ name, value: Number(value.toPrecision(4)), unit, load: Number(loadavg()[0]?.toFixed(2)), ...extra })}\n`,
  )
}

function best(fn: () => unknown): number {
  fn()
  let min = Number.POSITIVE_INFINITY
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now()
    fn()
    min = Math.min(min, performance.now() - t0)
  }
  return min / 1000
}

process.stderr.write(`simulating ${PAIRS.toLocaleString('en-US')} pairs…\n`)
const shifted = simulateShadow({
  seed: 1,
  n: PAIRS,
  change: (a, random) => (random() < 0.1 ? { ...a, score: a.score + 0.05 } : a),
})
const withSecondary = simulateShadow({ seed: 2, n: PAIRS, secondary: true })

const judged = judgeCanary(shifted.pairs, shifted.counts)
process.stderr.write(
  `shifted candidate: ${judged.verdict}; identical with a secondary: ${judgeCanary(withSecondary.pairs, withSecondary.counts).verdict}\n`,
)
emit(
  'judgeCanary, 100k pairs (score + label, no secondary)',
  best(() => judgeCanary(shifted.pairs, shifted.counts)),
  's',
)
emit(
  'judgeCanary, 100k pairs with a secondary',
  best(() => judgeCanary(withSecondary.pairs, withSecondary.counts)),
  's',
)
emit('canaryAnalysisResult', best(() => JSON.stringify(canaryAnalysisResult(judged))) * 1000, 'ms')
const heapMb = process.memoryUsage().heapUsed / 2 ** 20
emit('heap used after judging (pairs held in memory)', heapMb, 'MiB')

const p = Float64Array.from(shifted.pairs, (x) => x.primary.scores.score ?? Number.NaN)
const c = Float64Array.from(shifted.pairs, (x) => x.candidate.scores.score ?? Number.NaN)
const d = c.map((v, i) => v - (p[i] as number))
const lp = Float64Array.from(shifted.pairs, (x) => x.primary.latencyMs)
const lc = Float64Array.from(shifted.pairs, (x) => x.candidate.latencyMs)
const pieces: [string, () => unknown][] = [
  ['wilcoxonSignedRank, 100k differences', () => wilcoxonSignedRank(d)],
  ['hodgesLehmann (paired, 98%), 100k differences', () => hodgesLehmann(d, { confidence: 0.98 })],
  ['mannWhitneyU, 100k vs 100k latencies', () => mannWhitneyU(lc, lp)],
  ['hodgesLehmannShift (98%), 100k vs 100k latencies', () => hodgesLehmannShift(lc, lp, { confidence: 0.98 })],
]
const ours: Record<string, number> = {}
for (const [name, fn] of pieces) {
  ours[name] = best(fn)
  emit(name, ours[name] as number, 's')
}

const dir = mkdtempSync(join(tmpdir(), 'mg-canary-bench-'))
try {
  writeFileSync(join(dir, 'd.bin'), d)
  writeFileSync(join(dir, 'lp.bin'), lp)
  writeFileSync(join(dir, 'lc.bin'), lc)
  const script = `
import time, numpy as np, scipy, scipy.stats as st
d = np.fromfile('${dir}/d.bin'); lp = np.fromfile('${dir}/lp.bin'); lc = np.fromfile('${dir}/lc.bin')
def best(f):
    f(); m = 1e9
    for _ in range(${RUNS}):
        t = time.perf_counter(); f(); m = min(m, time.perf_counter() - t)
    return m
print('wilcoxon', best(lambda: st.wilcoxon(d)))
print('mannwhitneyu', best(lambda: st.mannwhitneyu(lc, lp)))
print('version', scipy.__version__)
`
  const py = spawnSync('python3', ['-c', script], { encoding: 'utf8' })
  if (py.status !== 0) process.stderr.write(`scipy reference skipped: ${py.stderr.split('\n').slice(-2).join(' ')}\n`)
  else {
    const ref = Object.fromEntries(
      py.stdout
        .trim()
        .split('\n')
        .map((l) => l.split(' ')),
    )
    const w = Number(ref.wilcoxon)
    const m = Number(ref.mannwhitneyu)
    emit('scipy.stats.wilcoxon, same 100k differences', w, 's', {
      reference: w,
      ratio: (ours['wilcoxonSignedRank, 100k differences'] as number) / w,
      scipy: ref.version,
    })
    emit('scipy.stats.mannwhitneyu, same 100k vs 100k', m, 's', {
      reference: m,
      ratio: (ours['mannWhitneyU, 100k vs 100k latencies'] as number) / m,
      scipy: ref.version,
    })
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
