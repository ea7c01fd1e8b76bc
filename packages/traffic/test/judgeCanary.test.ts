import { createRandom, createReport, renderHtml, renderJUnit } from '@modelgate/core'
import { hodgesLehmannShift, mannWhitneyU, quantiles } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import type { ShadowPair } from '../src/index.js'
import { canaryAnalysisResult, judgeCanary } from '../src/index.js'
import { simulateShadow } from './support/simulateShadow.js'

const check = (report: ReturnType<typeof judgeCanary>, id: string) => {
  const found = report.checks.find((c) => c.id === id)
  if (found === undefined) throw new Error(`no check ${id} in ${report.checks.map((c) => c.id).join(', ')}`)
  return found
}
const scoresOf = (pairs: readonly ShadowPair[], who: 'primary' | 'candidate'): Float64Array =>
  Float64Array.from(pairs.flatMap((p) => (p[who].scores.score === undefined ? [] : [p[who].scores.score])))

describe('judgeCanary', () => {
  it('fails a candidate that moves 10% of scores by +0.05, which a distribution-only judge passes', () => {
    const { pairs, counts } = simulateShadow({
      seed: 1,
      n: 3000,
      change: (a, random) => (random() < 0.1 ? { ...a, score: a.score + 0.05 } : a),
    })
    const report = judgeCanary(pairs, counts)
    expect(report.verdict).toBe('fail')
    const share = check(report, 'canary.score.score.share')
    expect(share.verdict).toBe('fail')
    // the evidence: ~10% of requests differ, all upwards by 0.05, the interval well above the 1% allowance
    expect(share.metrics?.share).toBeGreaterThan(0.08)
    expect(share.metrics?.lower).toBeGreaterThan(0.05)
    expect(share.metrics?.meanDelta).toBeCloseTo(0.05, 2)
    expect(share.message).toMatch(/more than allowed; those moved by \+0\.0\d+ on average \(\d+ up, 0 down\)/)
    expect((share.details as { examples: unknown[] }).examples).toHaveLength(5)
    // the Wilcoxon test sees the one-sided move too
    expect(check(report, 'canary.score.score.shift').metrics?.pValue).toBeLessThan(1e-6)

    // what a distribution-only judge (Kayenta's: Mann–Whitney at 0.98, HL shift vs a band) sees: medians barely move,
    // the rank test finds nothing and the shift's interval holds 0 — it would pass this candidate
    const primary = scoresOf(pairs, 'primary')
    const candidate = scoresOf(pairs, 'candidate')
    const [mp] = quantiles(primary, [0.5])
    const [mc] = quantiles(candidate, [0.5])
    expect(Math.abs((mc as number) - (mp as number))).toBeLessThan(0.01)
    expect(mannWhitneyU(candidate, primary).pValue).toBeGreaterThan(0.02)
    const hl = hodgesLehmannShift(candidate, primary, { confidence: 0.98 })
    expect(hl.lower).toBeLessThan(0)
    expect(hl.upper).toBeGreaterThan(0)
    expect(check(report, 'canary.score.score.distribution').verdict).not.toBe('fail')

    const argo = canaryAnalysisResult(report)
    expect(argo).toMatchObject({ version: 1, verdict: 'fail', pass: false })
    expect(argo.reasons[0]).toMatch(/^fail: score: requests that differ: /)
    expect(argo.metrics['score.score.share.share']).toBeGreaterThan(0.08)
  })

  it('passes an identical candidate (independent noise, like a secondary) in at least 95% of 200 seeded runs', () => {
    let passed = 0
    const verdicts: Record<string, number> = {}
    for (let seed = 1; seed <= 200; seed++) {
      const { pairs, counts } = simulateShadow({ seed: 1000 + seed, n: 2000 })
      const result = canaryAnalysisResult(judgeCanary(pairs, counts))
      verdicts[result.verdict] = (verdicts[result.verdict] ?? 0) + 1
      if (result.pass) passed++
    }
    expect(passed, JSON.stringify(verdicts)).toBeGreaterThanOrEqual(190)
  }, 180_000)

  it('is inconclusive on an idle service, never a pass', () => {
    const report = judgeCanary([], { requests: 0, mirrored: 0, dropped: 0 })
    expect(report.verdict).toBe('inconclusive')
    expect(check(report, 'canary.coverage').message).toBe(
      'no paired request to judge (0 requests through the proxy, 0 mirrored, 0 dropped): the service is idle or nothing was mirrored',
    )
    for (const c of report.checks) expect(c.verdict).toBe('inconclusive')
    expect(canaryAnalysisResult(report)).toMatchObject({ verdict: 'inconclusive', pass: false, pairs: 0 })
  })

  it('is inconclusive with too few pairs for the power rule, and says how many would settle it', () => {
    const { pairs, counts } = simulateShadow({ seed: 3, n: 200 })
    const report = judgeCanary(pairs, counts)
    expect(report.verdict).toBe('inconclusive')
    const share = check(report, 'canary.score.score.share')
    expect(share.verdict).toBe('inconclusive')
    // 0 of 200 differ, but the Wilson upper bound 2.6% is above the 1% allowance: 536 pairs are needed
    expect(share.message).toMatch(/^cannot judge yet: 0 of 200 .* about 536 pairs would settle it/)
    // six values each (Kayenta #426's example size): no rank test, no pass
    const six = judgeCanary(pairs.slice(0, 6), counts)
    expect(check(six, 'canary.latency').verdict).toBe('inconclusive')
    expect(check(six, 'canary.latency').message).toMatch(/a rank test needs 20 on each side/)
  })

  it('judges zero-heavy scores: more non-zero scores fail, an unchanged zero-heavy score passes', () => {
    // a deterministic model whose score is 0 for 95% of requests; the candidate scores 5% more of them
    const moved = simulateShadow({
      seed: 4,
      n: 4000,
      zeroHeavy: 0.05,
      change: (a, random) => (a.score === 0 && random() < 0.05 ? { ...a, score: 0.4 } : a),
    })
    const report = judgeCanary(moved.pairs, moved.counts)
    expect(check(report, 'canary.score.score.share').verdict).toBe('fail')
    const distribution = check(report, 'canary.score.score.distribution')
    expect(distribution.verdict).toBe('fail')
    expect(distribution.message).toMatch(/^zero-heavy metric: 9\d\.\d+% → 9\d\.\d+% of values at 0/)
    const same = simulateShadow({ seed: 5, n: 4000, zeroHeavy: 0.05 })
    const ok = judgeCanary(same.pairs, same.counts)
    expect(check(ok, 'canary.score.score.shift').message).toBe('all 4,000 paired scores are equal')
    expect(check(ok, 'canary.score.score.share').verdict).toBe('pass')
    expect(ok.verdict).toBe('pass')
  })

  it('fails a rise of the error rate and judges the scores on the pairs both answered', () => {
    const { pairs, counts } = simulateShadow({
      seed: 6,
      n: 3000,
      change: (a, random) => (random() < 0.03 ? { error: 'status' } : a),
    })
    const report = judgeCanary(pairs, counts)
    const errors = check(report, 'canary.errors')
    expect(errors.verdict).toBe('fail')
    expect(errors.message).toMatch(
      /^the candidate fails more: candidate 3\.\d+% \(\d+ of 3,000: status \d+\) vs primary 0\.00% \(0\); only the candidate failed on \d+ requests, only the primary on 0 \(McNemar exact p = /,
    )
    expect(check(report, 'canary.score.score.share').metrics?.n).toBeLessThan(3000)
    expect(check(report, 'canary.score.score.share').verdict).toBe('pass')
  })

  it('fails a slower candidate, and one whose latency tail grows while its median does not (Kayenta #780)', () => {
    const slower = simulateShadow({ seed: 14, n: 2000, change: (a) => ({ ...a, latencyMs: a.latencyMs * 1.5 }) })
    const slow = check(judgeCanary(slower.pairs, slower.counts), 'canary.latency')
    expect(slow.verdict).toBe('fail')
    expect(slow.message).toMatch(
      /^medians [78]\.\d+ ms → 1[12]\.\d+ ms; Hodges–Lehmann shift \+[34]\.\d+ ms .* beyond the band/,
    )
    const tail = simulateShadow({
      seed: 15,
      n: 2000,
      change: (a, random) => (random() < 0.05 ? { ...a, latencyMs: a.latencyMs * 4 } : a),
    })
    const report = judgeCanary(tail.pairs, tail.counts)
    expect(check(report, 'canary.latency').verdict).not.toBe('fail')
    const tailCheck = check(report, 'canary.latency.tail')
    expect(tailCheck.verdict).toBe('fail')
    expect(tailCheck.message).toMatch(/candidate latencies above the primary's p99 \(\d+\.\d+ ms\)/)
  })

  it('is inconclusive on a sparse score (carried by 2% of the answers) until enough pairs carry it; scoreFields narrows', () => {
    const { pairs, counts } = simulateShadow({ seed: 18, n: 3000 })
    const sparse = pairs.map((pair, i): ShadowPair => {
      if (i % 50 !== 0) return pair
      const reason = (a: ShadowPair['primary']): ShadowPair['primary'] => ({
        ...a,
        scores: { ...a.scores, reason_score: 0.3 },
      })
      return { ...pair, primary: reason(pair.primary), candidate: reason(pair.candidate) }
    })
    const report = judgeCanary(sparse, counts)
    const share = check(report, 'canary.score.reason_score.share')
    expect(share.verdict).toBe('inconclusive')
    expect(share.message).toMatch(
      /^cannot judge yet: 0 of 60 requests whose \|Δreason_score\| > 0\.01 .*about 536 pairs would settle it/,
    )
    expect(report.verdict).toBe('inconclusive')
    expect(judgeCanary(sparse, counts, { scoreFields: ['score'] }).verdict).toBe('pass')
  })

  it('takes a score tolerance of 0 as "scores must be equal": any difference counts, no interval is too wide', () => {
    const { pairs, counts } = simulateShadow({ seed: 19, n: 1000 })
    const report = judgeCanary(pairs, counts, { scoreTolerance: 0 })
    expect(check(report, 'canary.score.score.share').verdict).toBe('fail')
    expect(check(report, 'canary.score.score.shift').message).not.toMatch(/∞|Infinity/)
    expect(check(report, 'canary.score.score.distribution').verdict).toBe('skip')
  })

  it('takes a tolerance per score field', () => {
    const { pairs, counts } = simulateShadow({
      seed: 16,
      n: 2000,
      change: (a, random) => (random() < 0.1 ? { ...a, score: a.score + 0.05 } : a),
    })
    expect(
      check(judgeCanary(pairs, counts, { scoreTolerances: { score: 0.1 } }), 'canary.score.score.share').verdict,
    ).toBe('pass')
  })

  it('fails label flips and names them; rare label values are not shown', () => {
    const { pairs, counts } = simulateShadow({
      seed: 7,
      n: 3000,
      change: (a, random) =>
        a.label === 'allow' && random() < 0.05 ? { ...a, label: random() < 0.01 ? 'rare-value-x' : 'block' } : a,
    })
    const report = judgeCanary(pairs, counts)
    const labels = check(report, 'canary.label.decision')
    expect(labels.verdict).toBe('fail')
    expect(labels.message).toMatch(/flips: allow → block \d+/)
    expect(JSON.stringify(report)).not.toContain('rare-value-x')
  })

  it("applies Diffy's noise rule: differences within the primary's own non-determinism do not count", () => {
    // a tenth of the requests are non-deterministic (every instance adds up to ±0.05 there)
    const noisy = (seed: number, secondary: boolean) => {
      const sim = simulateShadow({ seed, n: 6000, secondary })
      const random = createRandom(seed, 'jitter')
      const pairs = sim.pairs.map((pair, i): ShadowPair => {
        if (i % 10 !== 0) return pair
        const jitter = (answer: ShadowPair['primary']): ShadowPair['primary'] => ({
          ...answer,
          scores: { score: (answer.scores.score as number) + 0.1 * (random.uniform() - 0.5) },
        })
        return {
          ...pair,
          primary: jitter(pair.primary),
          candidate: jitter(pair.candidate),
          ...(pair.secondary === undefined ? {} : { secondary: jitter(pair.secondary) }),
        }
      })
      return judgeCanary(pairs, sim.counts, { labelFields: [] })
    }
    expect(check(noisy(8, false), 'canary.score.score.share').verdict).toBe('fail')
    const withSecondary = check(noisy(8, true), 'canary.score.score.share')
    expect(withSecondary.verdict).toBe('pass')
    expect(withSecondary.message).toMatch(
      / against \d+ \(\d+\.\d+%\) where the secondary differs from the primary: excess /,
    )
  })

  it('fails a field the candidate drops and redacts routes in the examples', () => {
    const { pairs, counts } = simulateShadow({ seed: 9, n: 1000 })
    const dropped = pairs.map(
      (pair, i): ShadowPair =>
        i % 10 === 0
          ? { ...pair, candidate: { ...pair.candidate, scores: {}, missingFields: ['score'] } }
          : {
              ...pair,
              path: '/users/alice.smith@example.com/predict',
              candidate: { ...pair.candidate, scores: { score: 0.99 } },
            },
    )
    const report = judgeCanary(dropped, counts)
    const fields = check(report, 'canary.fields')
    expect(fields.verdict).toBe('fail')
    expect(fields.message).toMatch(/^missing in the candidate: score \(100, 10\.0%\)/)
    const json = JSON.stringify(report)
    expect(json).toContain('/users/[email]/predict')
    expect(json).not.toContain('alice.smith')
  })

  it('renders JUnit and self-contained HTML with the Δscore and latency charts', () => {
    const { pairs, counts } = simulateShadow({ seed: 10, n: 1000 })
    const report = judgeCanary(pairs, counts)
    expect(report.charts?.map((c) => c.title)).toEqual([
      'Δscore (candidate − primary), 1,000 pairs',
      'Latency (ms), primary vs candidate',
    ])
    expect(renderJUnit(report)).toContain('<testsuite')
    const html = renderHtml(report)
    expect(html).toContain('<svg')
    expect(html).not.toMatch(/<script|https?:\/\//)
  })

  it('folds drift reports in as sub-reports: a failing drift report fails the verdict and is named in the reasons', () => {
    const { pairs, counts } = simulateShadow({ seed: 13, n: 1000 })
    const drift = createReport({
      kind: 'drift',
      title: 'Drift of the candidate prediction',
      checks: [
        { id: 'drift.prediction', name: 'prediction', group: 'drift', verdict: 'fail', message: 'PSI 0.4 > 0.2' },
      ],
    })
    const report = judgeCanary(pairs, counts, { drift: { candidate: drift } })
    expect(report.reports).toHaveLength(1)
    expect(report.verdict).toBe('fail')
    expect(canaryAnalysisResult(report).reasons).toContain('fail: Drift of the candidate prediction')
  })

  it('refuses an unknown option by name', () => {
    expect(() => judgeCanary([], { requests: 0, mirrored: 0, dropped: 0 }, { tolerance: 0.1 } as never)).toThrow(
      /MG_CANARY_BAD_OPTION|Unrecognized key/,
    )
  })
})
