import type { MatrixEngine } from '../engine/MatrixEngine.js'
import type { Networks } from '../networks.js'
import type { DiscriminatorPass } from './DiscriminatorPasses.js'

export interface GradientPenaltyOptions {
  readonly engine: MatrixEngine
  readonly nets: Networks
  readonly discriminatorDims: readonly number[]
  /** Width of a packed input row. */
  readonly inputWidth: number
  /** λ. */
  readonly lambda: number
  /** Packs in the whole batch: the penalty is a mean over them, of which `pass` holds this replica's. */
  readonly allPacks: number
}

/**
 * The WGAN-GP penalty (Gulrajani et al. 2017) λ·mean_p(‖∂score/∂x_p‖ − 1)² on a forward pass over the interpolated
 * packs, and its gradient with respect to the discriminator weights, in closed form instead of by double
 * backpropagation: the discriminator is piecewise linear, so its input gradient is
 * g = (((w_L ⊙ k_L) W_{L−1}ᵀ ⊙ k_{L−1}) …) W_0ᵀ with the pass's fixed gates k (LeakyReLU slope × dropout), and
 * ∂λ(‖g‖−1)²/∂W follows by the chain rule. Biases get no gradient (the gates are piecewise constant): their
 * entries are null, in discriminatorVariables order.
 */
export function gradientPenalty(
  pass: DiscriminatorPass,
  options: GradientPenaltyOptions,
): { loss: number; grads: (Float32Array | null)[] } {
  const { engine, nets, lambda, allPacks, inputWidth: width } = options
  const dims = options.discriminatorDims
  const hidden = nets.dW.length - 1
  const packs = pass.rows
  const us: Float32Array[] = new Array(hidden)
  const top = dims[hidden - 1]!
  const wLast = nets.dW[hidden]!.values
  let u: Float32Array = new Float32Array(packs * top)
  const topGate = pass.gates[hidden - 1]!
  for (let r = 0; r < packs; r++) for (let j = 0; j < top; j++) u[r * top + j] = topGate[r * top + j]! * wLast[j]!
  us[hidden - 1] = u
  for (let i = hidden - 1; i >= 1; i--) {
    u = engine.gemm(u, nets.dW[i]!.values, packs, dims[i]!, dims[i - 1]!, false, true)
    const gate = pass.gates[i - 1]!
    for (let j = 0; j < u.length; j++) u[j]! *= gate[j]!
    us[i - 1] = u
  }
  const g = engine.gemm(u, nets.dW[0]!.values, packs, dims[0]!, width, false, true)
  let loss = 0
  for (let p = 0; p < packs; p++) {
    let sq = 0
    for (let j = 0; j < width; j++) sq += g[p * width + j]! ** 2
    const norm = Math.sqrt(sq + 1e-12)
    const excess = norm - 1
    loss += (lambda * excess * excess) / allPacks
    // ∂loss/∂g, written over g.
    const scale = ((excess / norm) * 2 * lambda) / allPacks
    for (let j = 0; j < width; j++) g[p * width + j]! *= scale
  }
  const dg = g
  const grads: (Float32Array | null)[] = new Array(2 * (hidden + 1)).fill(null)
  grads[0] = engine.gemm(dg, us[0]!, width, packs, dims[0]!, true)
  let du = engine.gemm(dg, nets.dW[0]!.values, packs, width, dims[0]!)
  for (let i = 1; i < hidden; i++) {
    const gate = pass.gates[i - 1]!
    for (let j = 0; j < du.length; j++) du[j]! *= gate[j]!
    grads[i] = engine.gemm(du, us[i]!, dims[i - 1]!, packs, dims[i]!, true)
    du = engine.gemm(du, nets.dW[i]!.values, packs, dims[i - 1]!, dims[i]!)
  }
  const dLast = new Float32Array(top)
  for (let r = 0; r < packs; r++) for (let j = 0; j < top; j++) dLast[j]! += du[r * top + j]! * topGate[r * top + j]!
  grads[hidden] = dLast
  return { loss, grads }
}
