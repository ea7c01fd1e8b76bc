/** A constraint of conditional sampling: latent dimension `dim` lies in [lo, hi] (normal scale). */
export interface Constraint {
  readonly dim: number
  readonly lo: number
  readonly hi: number
}

/** A conditioned column and the value it is set to in the output. */
export interface Fixed {
  readonly column: number
  readonly value: number | string | boolean
}
