/**
 * Logit adjustment on a pilot of generated rows (Menon et al. 2021, "Long-tail learning via logit
 * adjustment"): per-entry offsets b on the softmax spans of an output row, fitted by proportional fitting
 * (b += log(target / share), bounded steps) so that the mean of softmax(raw + b) over the pilot rows matches a
 * target share per entry. Only the pilot's probabilities are re-weighted — softmax(raw + b) ∝ p·exp(b) — so the
 * generator runs once. Shared by the marginal (calibrateOutputBias) and per-condition (calibrateConditionals)
 * calibrations.
 */
export interface LogitPilot {
  /** Activated rows [*, dataDim] (softmax within each span). */
  readonly probs: Float32Array
  readonly dataDim: number
  /** Softmax spans [start, size] in row coordinates. */
  readonly spans: readonly (readonly [number, number])[]
  /** The pilot rows to use: [first, first + rows). */
  readonly first: number
  readonly rows: number
}

/** Mean of softmax(raw + offsets) per entry over the pilot rows, into `share` (span entries only). */
export function pilotShares(pilot: LogitPilot, offsets: Float64Array, share: Float64Array): void {
  const { probs, dataDim, spans, first, rows } = pilot
  share.fill(0)
  // exp(b) once per entry, not once per pilot row.
  const factor = offsets.map(Math.exp)
  const row = new Float64Array(Math.max(1, ...spans.map(([, n]) => n)))
  for (const [start, size] of spans) {
    for (let r = first; r < first + rows; r++) {
      const o = r * dataDim + start
      let sum = 0
      for (let t = 0; t < size; t++) {
        const w = probs[o + t]! * factor[start + t]!
        row[t] = w
        sum += w
      }
      for (let t = 0; t < size; t++) share[start + t]! += row[t]! / sum / rows
    }
  }
}

/** Mean over spans of the total-variation distance between `share` and `target`. */
export function spanGap(
  share: Float64Array,
  target: Float64Array,
  spans: readonly (readonly [number, number])[],
): number {
  let gap = 0
  for (const [start, size] of spans) {
    let tv = 0
    for (let t = 0; t < size; t++) tv += Math.abs(share[start + t]! - target[start + t]!)
    gap += tv / 2 / spans.length
  }
  return gap
}

/**
 * `rounds` rounds of proportional fitting from `offsets` (updated in place), `share` holding the pilot's shares
 * under them on entry and on return; returns the gap after the last round.
 */
export function fitLogitOffsets(
  pilot: LogitPilot,
  target: Float64Array,
  offsets: Float64Array,
  share: Float64Array,
  rounds: number,
): number {
  let gap = spanGap(share, target, pilot.spans)
  for (let round = 0; round < rounds; round++) {
    for (const [start, size] of pilot.spans) {
      for (let t = 0; t < size; t++) {
        const p = target[start + t]!
        const q = share[start + t]!
        // An entry the target never holds is pushed far down; one the pilot never produces is raised at most 4 nats a round.
        const step = p <= 0 ? -30 : q <= 0 ? 4 : Math.log(p / q)
        offsets[start + t] = Math.max(-30, Math.min(30, offsets[start + t]! + Math.max(-4, Math.min(4, step))))
      }
    }
    pilotShares(pilot, offsets, share)
    gap = spanGap(share, target, pilot.spans)
  }
  return gap
}
