/** A binary classifier's performance figures, estimated (CBPE) or realized (with labels). */
export interface PerformanceFigures {
  readonly rocAuc: number
  readonly precision: number
  readonly recall: number
  readonly f1: number
  readonly accuracy: number
}
