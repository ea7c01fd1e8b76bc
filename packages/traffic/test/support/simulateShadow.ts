import { createRandom } from '@modelgate/core'
import type { ShadowAnswer, ShadowCounts, ShadowPair } from '../../src/index.js'

/**
 * Shadow traffic from a known model: each request has a true score (a logistic of a normal feature) and a decision
 * label; each instance answers it with its own independent noise (a non-deterministic model, as a secondary shows),
 * and lognormal latency. `change` alters the candidate's answer of some requests.
 */
export interface SimulateOptions {
  readonly seed: number
  readonly n: number
  /** sd of each instance's own noise on the score. Default 0.002. */
  readonly noise?: number
  readonly secondary?: boolean
  /** Candidate's answer from the primary-like one: return a changed score/label/answer. */
  readonly change?: (
    answer: { score: number; label: string; latencyMs: number },
    random: () => number,
  ) => { score: number; label: string; latencyMs: number } | { error: NonNullable<ShadowAnswer['error']> }
  /** Primary and candidate error rate (independent). Default 0. */
  readonly errorRate?: number
  /** A score that is 0 for most requests (zero-heavy): P(non-zero). */
  readonly zeroHeavy?: number
}

export function simulateShadow(options: SimulateOptions): { pairs: ShadowPair[]; counts: ShadowCounts } {
  const rng = createRandom(options.seed, 'shadow-sim')
  const noise = options.noise ?? 0.002
  const pairs: ShadowPair[] = []
  const answer = (truth: number, latencyMs: number): { score: number; label: string; latencyMs: number } => {
    const score = Math.min(1, Math.max(0, truth + noise * rng.normal()))
    return { score, label: score >= 0.5 ? 'block' : 'allow', latencyMs }
  }
  const toAnswer = (
    a: { score: number; label: string; latencyMs: number } | { error: NonNullable<ShadowAnswer['error']> },
  ): ShadowAnswer =>
    'error' in a
      ? { status: 0, latencyMs: Number.NaN, error: a.error, scores: {}, labels: {} }
      : { status: 200, latencyMs: a.latencyMs, scores: { score: a.score }, labels: { decision: a.label } }
  const latency = (): number => 8 * Math.exp(0.3 * rng.normal())
  for (let i = 0; i < options.n; i++) {
    const zeroHeavy = options.zeroHeavy
    const truth =
      zeroHeavy === undefined
        ? 1 / (1 + Math.exp(-1.5 * rng.normal()))
        : rng.uniform() < zeroHeavy
          ? 0.3 + 0.4 * rng.uniform()
          : 0
    const exact = zeroHeavy !== undefined
    const make = (): { score: number; label: string; latencyMs: number } =>
      exact ? { score: truth, label: truth >= 0.5 ? 'block' : 'allow', latencyMs: latency() } : answer(truth, latency())
    const failed = (): boolean => options.errorRate !== undefined && rng.uniform() < options.errorRate
    const primary = failed() ? { error: 'timeout' as const } : make()
    const base = make()
    const candidate = failed() ? { error: 'timeout' as const } : (options.change?.(base, () => rng.uniform()) ?? base)
    const secondary = options.secondary === true ? make() : undefined
    pairs.push({
      at: Date.UTC(2026, 0, 1) + i * 10,
      path: '/predict',
      primary: toAnswer(primary),
      candidate: toAnswer(candidate),
      ...(secondary === undefined ? {} : { secondary: toAnswer(secondary) }),
    })
  }
  return { pairs, counts: { requests: options.n, mirrored: options.n, dropped: 0 } }
}
