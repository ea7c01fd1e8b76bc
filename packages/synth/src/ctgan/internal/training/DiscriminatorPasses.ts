import type { MatrixEngine } from '../engine/MatrixEngine.js'
import type { Architecture, Networks } from '../networks.js'
import { LEAKY_SLOPE } from '../networks.js'
import { columnSums } from './rowMajor.js'

/** A forward pass of the discriminator: what its backward pass and the gradient penalty need. */
export interface DiscriminatorPass {
  readonly rows: number
  /** Inputs of each layer (packed input, then hidden activations) and their widths. */
  readonly inputs: readonly Float32Array[]
  readonly widths: readonly number[]
  /** Per hidden layer: LeakyReLU slope × dropout keep-mask. */
  readonly gates: readonly Float32Array[]
  /** [rows] when asked for. */
  readonly score: Float32Array | null
}

export interface DiscriminatorBackwardOptions {
  /** Compute the weight gradients (the discriminator step). */
  readonly weights: boolean
  /** Compute ∂L/∂input (the generator step). */
  readonly input: boolean
}

/**
 * Forward and backward passes of the PacGAN discriminator (Xu et al. 2019, §4.4: per hidden layer Linear →
 * LeakyReLU 0.2 → Dropout, `pac` rows judged together as one input row; a Linear score) over host arrays.
 * The layer is piecewise linear: a pass records each unit's gate (slope × dropout mask), which the backward pass
 * and the gradient penalty reuse.
 */
export class DiscriminatorPasses {
  private readonly engine: MatrixEngine
  private readonly arch: Architecture
  /** Width of a packed input row: pac × (dataDim + condDim). */
  readonly inputWidth: number

  constructor(options: { readonly engine: MatrixEngine; readonly arch: Architecture }) {
    this.engine = options.engine
    this.arch = options.arch
    this.inputWidth = options.arch.pac * (options.arch.dataDim + options.arch.condDim)
  }

  /** Forward pass of `x` [rows, inputWidth] with the given dropout masks; the score only when `withScore`. */
  forward(
    nets: Networks,
    x: Float32Array,
    rows: number,
    masks: readonly Float32Array[],
    withScore: boolean,
  ): DiscriminatorPass {
    const hidden = nets.dW.length - 1
    const inputs: Float32Array[] = [x]
    const widths: number[] = [this.inputWidth]
    const gates: Float32Array[] = []
    let h = x
    let width = this.inputWidth
    for (let i = 0; i < hidden; i++) {
      const units = this.arch.discriminatorDims[i]!
      const pre = this.engine.gemm(h, nets.dW[i]!.values, rows, width, units)
      const bias = nets.dB[i]!.values
      const mask = masks[i]!
      const gate = new Float32Array(rows * units)
      for (let r = 0; r < rows; r++) {
        const o = r * units
        for (let j = 0; j < units; j++) {
          const p = pre[o + j]! + bias[j]!
          const k = (p > 0 ? 1 : LEAKY_SLOPE) * mask[o + j]!
          gate[o + j] = k
          pre[o + j] = p * k
        }
      }
      gates.push(gate)
      inputs.push(pre)
      widths.push(units)
      h = pre
      width = units
    }
    let score: Float32Array | null = null
    if (withScore) {
      const w = nets.dW[hidden]!.values
      const b = nets.dB[hidden]!.values[0]!
      score = new Float32Array(rows)
      for (let r = 0; r < rows; r++) {
        let s = b
        const o = r * width
        for (let j = 0; j < width; j++) s += h[o + j]! * w[j]!
        score[r] = s
      }
    }
    return { rows, inputs, widths, gates, score }
  }

  /** Backward from ∂L/∂score [rows]: weight gradients (discriminatorVariables order) and/or ∂L/∂input. */
  backward(
    nets: Networks,
    pass: DiscriminatorPass,
    dScore: Float32Array,
    options: DiscriminatorBackwardOptions,
  ): { grads: Float32Array[]; dInput: Float32Array | null } {
    const engine = this.engine
    const rows = pass.rows
    const hidden = nets.dW.length - 1
    const dWs: Float32Array[] = []
    const dBs: Float32Array[] = []
    const last = pass.inputs[hidden]!
    const lastWidth = pass.widths[hidden]!
    const wLast = nets.dW[hidden]!.values
    if (options.weights) {
      const dW = new Float32Array(lastWidth)
      let dB = 0
      for (let r = 0; r < rows; r++) {
        const d = dScore[r]!
        dB += d
        for (let j = 0; j < lastWidth; j++) dW[j]! += last[r * lastWidth + j]! * d
      }
      dWs[hidden] = dW
      dBs[hidden] = Float32Array.of(dB)
    }
    let dh: Float32Array = new Float32Array(rows * lastWidth)
    for (let r = 0; r < rows; r++) for (let j = 0; j < lastWidth; j++) dh[r * lastWidth + j] = dScore[r]! * wLast[j]!
    let dInput: Float32Array | null = null
    for (let i = hidden - 1; i >= 0; i--) {
      const units = this.arch.discriminatorDims[i]!
      const gate = pass.gates[i]!
      const dPre = dh
      for (let j = 0; j < dPre.length; j++) dPre[j]! *= gate[j]!
      if (options.weights) {
        dWs[i] = engine.gemm(pass.inputs[i]!, dPre, pass.widths[i]!, rows, units, true)
        dBs[i] = columnSums(dPre, rows, units)
      }
      if (i > 0) dh = engine.gemm(dPre, nets.dW[i]!.values, rows, units, pass.widths[i]!, false, true)
      else if (options.input) dInput = engine.gemm(dPre, nets.dW[0]!.values, rows, units, this.inputWidth, false, true)
    }
    return { grads: options.weights ? [...dWs, ...dBs] : [], dInput }
  }
}
