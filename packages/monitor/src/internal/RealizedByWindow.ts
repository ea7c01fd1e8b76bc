import type { Random } from '@modelgate/core'
import { createRandom } from '@modelgate/core'
import { rocAuc } from '@modelgate/stats'
import type { RealizedPerformance } from '../DriftSummary.js'
import type { LabelledScores } from './LabelJoin.js'

/** Labelled inferences kept per window unit: beyond it a seeded uniform sample (reservoir), so memory is bounded. */
const PAIRS_PER_UNIT = 5000

/** One unit's kept pairs in a checkpoint. */
export interface RealizedUnitJSON {
  readonly start: number
  readonly scores: number[]
  readonly labels: number[]
  readonly seen: number
  readonly closedAt: number | null
}

interface Unit {
  readonly scores: number[]
  readonly labels: number[]
  /** Pairs offered (kept or not). */
  seen: number
  /** Wall clock when the unit's window was published; labels stop coming a time-to-live later. */
  closedAt: number | null
}

/**
 * The realized side of per-window performance: the labelled (score, label) pairs of each window unit, kept while
 * labels can still arrive for it (until the label buffer's time-to-live after the unit closed), so that a window's
 * realized ROC AUC is recomputed each time more of its labels arrive.
 */
export class RealizedByWindow {
  private readonly units = new Map<number, Unit>()
  private readonly random: Random = createRandom('monitor', 'realized-sample')

  constructor(private readonly ttlMs: number) {}

  add(unitStart: number, pairs: LabelledScores): void {
    let u = this.units.get(unitStart)
    if (u === undefined) {
      u = { scores: [], labels: [], seen: 0, closedAt: null }
      this.units.set(unitStart, u)
    }
    for (let i = 0; i < pairs.scores.length; i++) {
      u.seen++
      // Algorithm R (Vitter 1985): the k-th pair replaces a kept one with probability PAIRS_PER_UNIT / k.
      const slot = u.scores.length < PAIRS_PER_UNIT ? u.scores.length : this.random.int(u.seen)
      if (slot >= PAIRS_PER_UNIT) continue
      u.scores[slot] = pairs.scores[i] as number
      u.labels[slot] = pairs.labels[i] as number
    }
  }

  /** Marks a unit published; forgets units whose labels can no longer come or that start before `keepFrom`. */
  closed(unitStart: number, now: number, keepFrom: number): void {
    const u = this.units.get(unitStart)
    if (u !== undefined) u.closedAt = now
    else this.units.set(unitStart, { scores: [], labels: [], seen: 0, closedAt: now })
    for (const [start, unit] of this.units) {
      if (start < keepFrom || (unit.closedAt !== null && now - unit.closedAt > this.ttlMs)) this.units.delete(start)
    }
  }

  /** The kept pairs of each unit (for a checkpoint). */
  toJSON(): RealizedUnitJSON[] {
    return [...this.units].map(([start, u]) => ({
      start,
      scores: [...u.scores],
      labels: [...u.labels],
      seen: u.seen,
      closedAt: u.closedAt,
    }))
  }

  /** Resumes from `toJSON()`. */
  restore(units: readonly RealizedUnitJSON[]): void {
    for (const u of units) {
      const kept = Math.min(PAIRS_PER_UNIT, u.scores.length, u.labels.length)
      this.units.set(u.start, {
        scores: u.scores.slice(0, kept),
        labels: u.labels.slice(0, kept),
        seen: Math.max(u.seen, kept),
        closedAt: u.closedAt,
      })
    }
  }

  /** The realized figure of the window [start, end) over its units' kept pairs; null when none is labelled. */
  figures(start: number, end: number): RealizedPerformance | null {
    const scores: number[] = []
    const labels: number[] = []
    for (const [s, u] of this.units) {
      if (s < start || s >= end) continue
      for (let i = 0; i < u.scores.length; i++) {
        scores.push(u.scores[i] as number)
        labels.push(u.labels[i] as number)
      }
    }
    if (scores.length === 0) return null
    const positives = labels.reduce((a, b) => a + b, 0)
    return {
      rocAuc: scores.length >= 30 && positives > 0 && positives < scores.length ? rocAuc(scores, labels) : null,
      labelled: scores.length,
      positives,
    }
  }
}
