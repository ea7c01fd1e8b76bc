import { createRequire } from 'node:module'
import type { onnx } from 'onnx-proto'
import { internalError } from '../internalError.js'

/**
 * Serialises our compiled graphs into ONNX model files (ModelProto, IR version 8, opset 17) with the `onnx-proto`
 * package (the ONNX project's onnx.proto compiled by protobuf.js), loaded on first use. What our graphs need: nodes
 * with int/float/ints/string attributes, float32/int32/int64 inputs and outputs with fixed or symbolic dims, and
 * initializers stored as little-endian raw_data.
 */

type OnnxElementType = 'float32' | 'int32' | 'int64'

/** An attribute value; explicit because a JS number cannot tell an int from a float. */
type OnnxAttribute =
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

interface OnnxValueInfo {
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

const textEncoder = new TextEncoder()
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

let proto: typeof onnx | undefined

/** Serialises a graph description into the bytes of an ONNX model file. */
export function encodeOnnxModel(graph: OnnxGraph, options: EncodeOnnxModelOptions = {}): Uint8Array {
  const opset = options.opset ?? DEFAULT_OPSET
  if (!Number.isInteger(opset) || opset < 1) throw internalError(`encodeOnnxModel: opset ${opset} is not valid.`)
  // A CommonJS module (protobuf.js' static output): required on first use, so importing synth loads none of it.
  proto ??= (createRequire(import.meta.url)('onnx-proto') as { onnx: typeof onnx }).onnx
  const model: onnx.IModelProto = {
    irVersion: IR_VERSION,
    producerName: 'modelgate',
    graph: {
      node: graph.nodes.map(nodeProto),
      name: graph.name ?? 'modelgate',
      initializer: (graph.initializers ?? []).map(tensorProto),
      input: graph.inputs.map(valueInfoProto),
      output: graph.outputs.map(valueInfoProto),
    },
    // The default ONNX domain.
    opsetImport: [{ domain: '', version: opset }],
  }
  return proto.ModelProto.encode(model).finish()
}

function nodeProto(node: OnnxNode, index: number): onnx.INodeProto {
  if (node.op.length === 0) throw internalError(`encodeOnnxModel: node ${index} has no op type.`)
  return {
    input: [...node.inputs],
    output: [...node.outputs],
    name: node.name ?? `${node.op}_${index}`,
    opType: node.op,
    attribute: Object.entries(node.attributes ?? {}).map(([name, value]) => attributeProto(name, value, node.op)),
  }
}

function attributeProto(name: string, value: OnnxAttribute, op: string): onnx.IAttributeProto {
  if ('int' in value) return { name, i: checkedInt(value.int, `${op}.${name}`), type: ATTRIBUTE_TYPE.int }
  if ('float' in value) return { name, f: value.float, type: ATTRIBUTE_TYPE.float }
  if ('ints' in value)
    return { name, ints: value.ints.map((v) => checkedInt(v, `${op}.${name}`)), type: ATTRIBUTE_TYPE.ints }
  return { name, s: textEncoder.encode(value.string), type: ATTRIBUTE_TYPE.string }
}

function valueInfoProto(info: OnnxValueInfo): onnx.IValueInfoProto {
  return {
    name: info.name,
    type: {
      tensorType: {
        elemType: DATA_TYPE[info.type],
        shape: {
          dim: info.dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: checkedDim(d, info.name) })),
        },
      },
    },
  }
}

function tensorProto(init: OnnxInitializer): onnx.ITensorProto {
  const expected = init.type === 'float32' ? Float32Array : init.type === 'int32' ? Int32Array : BigInt64Array
  if (!(init.data instanceof expected)) {
    throw internalError(
      `encodeOnnxModel: initializer "${init.name}" is ${init.type} but its data is a ${init.data.constructor.name}.`,
    )
  }
  let size = 1
  for (const d of init.dims) size *= checkedDim(d, init.name)
  if (size !== init.data.length) {
    throw internalError(
      `encodeOnnxModel: initializer "${init.name}" has dims [${init.dims.join(', ')}] (${size} values) but ${init.data.length} values.`,
    )
  }
  return {
    dims: [...init.dims],
    dataType: DATA_TYPE[init.type],
    name: init.name,
    rawData: littleEndianBytes(init.data),
  }
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
  if (!Number.isSafeInteger(v)) throw internalError(`encodeOnnxModel: attribute ${what} must be an integer, got ${v}.`)
  return v
}

function checkedDim(d: number, what: string): number {
  if (!Number.isSafeInteger(d) || d < 0) throw internalError(`encodeOnnxModel: "${what}" has an invalid dim ${d}.`)
  return d
}
