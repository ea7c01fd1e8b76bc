/**
 * A minimal writer for ONNX model files (ModelProto), written from the ONNX specification (onnx/onnx.proto,
 * IR version 8) and the protobuf wire format (varints, fixed32, length-delimited fields). It covers what our
 * compiled graphs need: nodes with int/float/ints/string attributes, float32/int32/int64 inputs and outputs
 * with fixed or symbolic dims, and initializers stored as little-endian raw_data.
 */

export type OnnxElementType = 'float32' | 'int32' | 'int64'

/** An attribute value; explicit because a JS number cannot tell an int from a float. */
export type OnnxAttribute =
  | { readonly int: number }
  | { readonly float: number }
  | { readonly ints: readonly number[] }
  | { readonly string: string }

export interface OnnxNode {
  readonly op: string
  readonly inputs: readonly string[]
  readonly outputs: readonly string[]
  readonly attributes?: Readonly<Record<string, OnnxAttribute>>
  /** Node name (defaults to `<op>_<index>`). */
  readonly name?: string
}

export interface OnnxValueInfo {
  readonly name: string
  readonly type: OnnxElementType
  /** A number is a fixed size, a string a symbolic dim (`'n'`). */
  readonly dims: readonly (number | string)[]
}

export interface OnnxInitializer {
  readonly name: string
  readonly type: OnnxElementType
  readonly dims: readonly number[]
  readonly data: Float32Array | Int32Array | BigInt64Array
}

export interface OnnxGraph {
  readonly nodes: readonly OnnxNode[]
  readonly inputs: readonly OnnxValueInfo[]
  readonly outputs: readonly OnnxValueInfo[]
  readonly initializers?: readonly OnnxInitializer[]
  /** Graph name (defaults to `modelgate`). */
  readonly name?: string
}

export interface EncodeOnnxModelOptions {
  /** Default-domain opset version (default 17). */
  readonly opset?: number
}

const IR_VERSION = 8
const DEFAULT_OPSET = 17

/** TensorProto.DataType values. */
const DATA_TYPE: Record<OnnxElementType, number> = { float32: 1, int32: 6, int64: 7 }
/** AttributeProto.AttributeType values. */
const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, ints: 7 } as const

// protobuf wire types
const VARINT = 0
const FIXED32 = 5
const LENGTH_DELIMITED = 2

const textEncoder = new TextEncoder()
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/** Serialises a graph description into the bytes of an ONNX model file. */
export function encodeOnnxModel(graph: OnnxGraph, options: EncodeOnnxModelOptions = {}): Uint8Array {
  const opset = options.opset ?? DEFAULT_OPSET
  if (!Number.isInteger(opset) || opset < 1)
    throw new Error(`encodeOnnxModel: opset must be a positive integer, got ${opset}`)
  const model = new ProtoWriter()
  model.varint(1, IR_VERSION) // ir_version
  model.string(2, 'modelgate') // producer_name
  model.message(7, encodeGraph(graph)) // graph
  const opsetId = new ProtoWriter()
  opsetId.string(1, '') // domain: the default ONNX domain
  opsetId.varint(2, opset) // version
  model.message(8, opsetId) // opset_import
  return model.finish()
}

function encodeGraph(graph: OnnxGraph): ProtoWriter {
  const w = new ProtoWriter()
  graph.nodes.forEach((node, index) => {
    w.message(1, encodeNode(node, index))
  })
  w.string(2, graph.name ?? 'modelgate')
  for (const init of graph.initializers ?? []) w.message(5, encodeTensor(init))
  for (const input of graph.inputs) w.message(11, encodeValueInfo(input))
  for (const output of graph.outputs) w.message(12, encodeValueInfo(output))
  return w
}

function encodeNode(node: OnnxNode, index: number): ProtoWriter {
  if (node.op.length === 0) throw new Error(`encodeOnnxModel: node ${index} has no op type`)
  const w = new ProtoWriter()
  for (const input of node.inputs) w.string(1, input)
  for (const output of node.outputs) w.string(2, output)
  w.string(3, node.name ?? `${node.op}_${index}`)
  w.string(4, node.op)
  for (const [name, value] of Object.entries(node.attributes ?? {})) w.message(5, encodeAttribute(name, value, node.op))
  return w
}

function encodeAttribute(name: string, value: OnnxAttribute, op: string): ProtoWriter {
  const w = new ProtoWriter()
  w.string(1, name)
  if ('int' in value) {
    w.varint(3, checkedInt(value.int, `${op}.${name}`))
    w.varint(20, ATTRIBUTE_TYPE.int)
  } else if ('float' in value) {
    w.float(2, value.float)
    w.varint(20, ATTRIBUTE_TYPE.float)
  } else if ('ints' in value) {
    // Written unpacked (one tag per value), which every protobuf parser accepts for a repeated int64.
    for (const v of value.ints) w.varint(8, checkedInt(v, `${op}.${name}`))
    w.varint(20, ATTRIBUTE_TYPE.ints)
  } else {
    w.string(4, value.string)
    w.varint(20, ATTRIBUTE_TYPE.string)
  }
  return w
}

function encodeValueInfo(info: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter()
  for (const d of info.dims) {
    const dim = new ProtoWriter()
    if (typeof d === 'string')
      dim.string(2, d) // dim_param
    else dim.varint(1, checkedDim(d, info.name)) // dim_value
    shape.message(1, dim)
  }
  const tensorType = new ProtoWriter()
  tensorType.varint(1, DATA_TYPE[info.type]) // elem_type
  tensorType.message(2, shape) // shape
  const type = new ProtoWriter()
  type.message(1, tensorType) // TypeProto.tensor_type
  const w = new ProtoWriter()
  w.string(1, info.name)
  w.message(2, type)
  return w
}

function encodeTensor(init: OnnxInitializer): ProtoWriter {
  const expected = init.type === 'float32' ? Float32Array : init.type === 'int32' ? Int32Array : BigInt64Array
  if (!(init.data instanceof expected)) {
    throw new Error(
      `encodeOnnxModel: initializer "${init.name}" is ${init.type} but its data is a ${init.data.constructor.name}`,
    )
  }
  let size = 1
  for (const d of init.dims) size *= checkedDim(d, init.name)
  if (size !== init.data.length) {
    throw new Error(
      `encodeOnnxModel: initializer "${init.name}" has dims [${init.dims.join(', ')}] (${size} values) but ${init.data.length} values`,
    )
  }
  const w = new ProtoWriter()
  for (const d of init.dims) w.varint(1, d) // dims
  w.varint(2, DATA_TYPE[init.type]) // data_type
  w.string(8, init.name) // name
  w.bytes(9, littleEndianBytes(init.data)) // raw_data
  return w
}

function littleEndianBytes(data: Float32Array | Int32Array | BigInt64Array): Uint8Array {
  if (littleEndian) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  const out = new Uint8Array(data.byteLength)
  const view = new DataView(out.buffer)
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) view.setFloat32(i * 4, data[i] as number, true)
    else if (data instanceof Int32Array) view.setInt32(i * 4, data[i] as number, true)
    else view.setBigInt64(i * 8, data[i] as bigint, true)
  }
  return out
}

function checkedInt(v: number, what: string): number {
  if (!Number.isSafeInteger(v)) throw new Error(`encodeOnnxModel: attribute ${what} must be an integer, got ${v}`)
  return v
}

function checkedDim(d: number, what: string): number {
  if (!Number.isSafeInteger(d) || d < 0) throw new Error(`encodeOnnxModel: "${what}" has an invalid dim ${d}`)
  return d
}

/** Appends protobuf fields to a growing buffer; nested messages are written as finished byte strings. */
class ProtoWriter {
  private buf = new Uint8Array(64)
  private len = 0

  varint(field: number, value: number): void {
    this.tag(field, VARINT)
    this.rawVarint(value)
  }

  float(field: number, value: number): void {
    this.tag(field, FIXED32)
    this.reserve(4)
    new DataView(this.buf.buffer).setFloat32(this.len, value, true)
    this.len += 4
  }

  string(field: number, value: string): void {
    this.bytes(field, textEncoder.encode(value))
  }

  message(field: number, value: ProtoWriter): void {
    this.bytes(field, value.finish())
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, LENGTH_DELIMITED)
    this.rawVarint(value.length)
    this.reserve(value.length)
    this.buf.set(value, this.len)
    this.len += value.length
  }

  finish(): Uint8Array {
    return this.buf.subarray(0, this.len)
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType)
  }

  /** Base-128 varint; a negative int64 is its 64-bit two's complement (10 bytes). */
  private rawVarint(value: number): void {
    this.reserve(10)
    if (value >= 0 && value < 0x80000000) {
      let v = value
      while (v >= 0x80) {
        this.buf[this.len++] = (v & 0x7f) | 0x80
        v >>>= 7
      }
      this.buf[this.len++] = v
      return
    }
    let v = BigInt.asUintN(64, BigInt(value))
    while (v >= 0x80n) {
      this.buf[this.len++] = Number(v & 0x7fn) | 0x80
      v >>= 7n
    }
    this.buf[this.len++] = Number(v)
  }

  private reserve(extra: number): void {
    if (this.len + extra <= this.buf.length) return
    let size = this.buf.length * 2
    while (size < this.len + extra) size *= 2
    const next = new Uint8Array(size)
    next.set(this.buf.subarray(0, this.len))
    this.buf = next
  }
}
