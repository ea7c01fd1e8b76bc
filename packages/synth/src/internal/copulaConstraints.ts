// What conditional sampling fixes, shared by the dense copula (createCopulaModel) and the factor sampler.

/** A constraint of conditional sampling: latent dimension `dim` lies in [lo, hi] (normal scale). */
export interface Constraint {
  readonly dim: number
  readonly lo: number
  readonly hi: number
}

export interface Fixed {
  readonly column: number
  readonly value: number | string | boolean
}
