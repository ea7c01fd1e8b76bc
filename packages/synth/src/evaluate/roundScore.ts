/** A score or share rounded to 4 decimals, as the synth reports show them. */
export function roundScore(x: number): number {
  return Math.round(x * 10_000) / 10_000
}
