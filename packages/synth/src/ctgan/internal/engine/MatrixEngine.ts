/** Where the CTGAN's matrix products run. */
export type CtganBackend = 'onnxruntime' | 'tensorflow' | 'wasm' | 'cpu'

/**
 * The one operation the CTGAN trainer hands to a numeric library: a dense float32 matrix product.
 * Everything else (batch norm, activations, Adam) runs in host loops over Float32Arrays, so a backend is
 * only a GEMM (and, for sampling, an optional compiled generator forward pass).
 */
export interface MatrixEngine {
  readonly backend: CtganBackend
  /** Threads the products may use. */
  readonly threads: number
  /**
   * C = op(A)·op(B), row-major: op(A) is m×k (A is stored k×m when `transA`), op(B) is k×n (B is stored
   * n×k when `transB`). Returns a new m×n array.
   */
  gemm(
    a: Float32Array,
    b: Float32Array,
    m: number,
    k: number,
    n: number,
    transA?: boolean,
    transB?: boolean,
  ): Float32Array
  /** A sampling pass for a trained generator (batch norm folded in), compiled where the backend can. */
  createGeneratorRunner(generator: FoldedGenerator): GeneratorRunner
  dispose(): void
}

/** One generator layer for sampling, batch norm folded into the product. */
export interface FoldedLayer {
  /** Weights [inputs, width] for the non-conditional inputs (previous activations…, noise). */
  readonly w: Float32Array
  readonly inputs: number
  readonly width: number
  /**
   * [(condDim + 1), width]: the bias plus the weight row of each conditional-vector position (the vector is
   * one-hot, so its product is a row lookup); the last row, for "no condition", is the bias alone.
   */
  readonly rowFor: Float32Array
}

/**
 * A trained generator for sampling (Xu et al. 2019 residual generator): hidden layer i computes
 * a_i = ReLU(h_{i−1}·W_i + rowFor_i[cond]) and h_i = [a_i, h_{i−1}] (h_{−1} = noise); the output layer gives
 * raw = h·W_out + rowFor_out[cond]. The activated row is tanh(raw) on the first `numContinuous` entries and
 * softmax(raw) within each span.
 */
export interface FoldedGenerator {
  readonly embeddingDim: number
  readonly condDim: number
  readonly dataDim: number
  readonly numContinuous: number
  /** Softmax spans [start, size], in row coordinates, covering [numContinuous, dataDim). */
  readonly spans: readonly (readonly [number, number])[]
  readonly hidden: readonly FoldedLayer[]
  readonly out: FoldedLayer
}

/**
 * Activated generator rows for `rows` noise vectors ([rows, embeddingDim]) and conditions (an index into
 * the conditional vector per row, `condDim` for none): [rows, dataDim], tanh on α, softmax per span.
 */
export type GeneratorRunner = (noise: Float32Array, cond: Int32Array, rows: number) => Float32Array
