/**
 * Reading ONNX files: the protobuf is decoded by onnx-proto (protobufjs with
 * the ONNX schema) and reduced to the plain structures the importer needs:
 * nodes with decoded attributes, initialisers as typed arrays (Constant
 * nodes become initialisers too), and the graph inputs with static shapes.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { fail } from '../../diag/diagnostic.js';

const { onnx } = onnxProto;

export type AttrValue = number | string | number[] | string[] | OnnxTensor;

export interface OnnxNode {
  name: string;
  op: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Map<string, AttrValue>;
}

/** A constant; `data` is float64 for float types, else the integer values (int64 as numbers). */
export interface OnnxTensor {
  name: string;
  dims: number[];
  type: 'float' | 'int8' | 'uint8' | 'int32' | 'int64' | 'other';
  data: Float64Array;
}

export interface OnnxModel {
  file: string;
  /** sha256 (hex) of the file's bytes: the model hash stamped into generated C. */
  hash: string;
  producer: string;
  opset: number;
  nodes: OnnxNode[];
  inits: Map<string, OnnxTensor>;
  /** Graph inputs that are not initialisers, with their static shapes. */
  inputs: { name: string; shape: (number | undefined)[] }[];
  outputs: string[];
}

const TYPES: Record<number, OnnxTensor['type']> = { 1: 'float', 2: 'uint8', 3: 'int8', 6: 'int32', 7: 'int64', 11: 'float' };
const BYTES: Record<number, number> = { 1: 4, 2: 1, 3: 1, 6: 4, 7: 8, 11: 8 };

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v && typeof (v as { toNumber?: unknown }).toNumber === 'function') return (v as { toNumber(): number }).toNumber();
  return Number(v);
}

function fromRaw(raw: Uint8Array, dt: number, n: number): Float64Array {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Float64Array(n);
  const size = BYTES[dt]!;
  for (let i = 0; i < n; i++) {
    const o = i * size;
    out[i] =
      dt === 1 ? dv.getFloat32(o, true)
      : dt === 11 ? dv.getFloat64(o, true)
      : dt === 2 ? dv.getUint8(o)
      : dt === 3 ? dv.getInt8(o)
      : dt === 6 ? dv.getInt32(o, true)
      : Number(dv.getBigInt64(o, true));
  }
  return out;
}

export function decodeTensor(t: InstanceType<typeof onnx.TensorProto>, file: string): OnnxTensor {
  const dims = (t.dims ?? []).map(num);
  const n = dims.reduce((a, b) => a * b, 1);
  const dt = t.dataType;
  const type = TYPES[dt] ?? 'other';
  let data: Float64Array;
  if (type === 'other') data = new Float64Array(0);
  else if (t.dataLocation === 1) fail('F8E100', `tensor '${t.name}' keeps its data in an external file, which f8c does not read`, { file, field: t.name });
  else if (t.rawData && t.rawData.length > 0) {
    if (t.rawData.length < n * BYTES[dt]!) fail('F8E100', `tensor '${t.name}': ${t.rawData.length} bytes of raw data for ${n} elements`, { file, field: t.name });
    data = fromRaw(t.rawData, dt, n);
  } else {
    const src: ArrayLike<unknown> = dt === 1 ? t.floatData : dt === 11 ? t.doubleData : dt === 7 ? t.int64Data : t.int32Data;
    data = Float64Array.from(Array.from(src, num));
    if (data.length !== n) fail('F8E100', `tensor '${t.name}': ${data.length} values for shape [${dims}]`, { file, field: t.name });
  }
  return { name: t.name, dims, type, data: data! };
}

function decodeAttr(a: InstanceType<typeof onnx.AttributeProto>, file: string): AttrValue | undefined {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.FLOAT: return a.f;
    case T.INT: return num(a.i);
    case T.STRING: return new TextDecoder().decode(a.s);
    case T.FLOATS: return [...a.floats];
    case T.INTS: return a.ints.map(num);
    case T.STRINGS: return a.strings.map((s) => new TextDecoder().decode(s));
    case T.TENSOR: return decodeTensor(a.t as InstanceType<typeof onnx.TensorProto>, file);
    default: return undefined;
  }
}

/** Decodes ONNX bytes; a damaged or non-ONNX file is F8E100. */
export function parseOnnx(bytes: Uint8Array, file: string): OnnxModel {
  let m: InstanceType<typeof onnx.ModelProto>;
  try {
    m = onnx.ModelProto.decode(bytes);
  } catch (e) {
    return fail('F8E100', `'${file}' is not an ONNX model: ${(e as Error).message}`, { file });
  }
  type G = InstanceType<typeof onnx.GraphProto>;
  const g = m.graph as G | null | undefined;
  if (!g || !g.node) return fail('F8E100', `'${file}' has no graph`, { file });
  const opset = Math.max(0, ...(m.opsetImport ?? []).filter((o) => !o.domain || o.domain === 'ai.onnx').map((o) => num(o.version)));
  const inits = new Map<string, OnnxTensor>();
  for (const t of (g.initializer ?? []) as InstanceType<typeof onnx.TensorProto>[]) inits.set(t.name, decodeTensor(t as InstanceType<typeof onnx.TensorProto>, file));
  const nodes: OnnxNode[] = [];
  (g.node as InstanceType<typeof onnx.NodeProto>[]).forEach((n, i) => {
    const attrs = new Map<string, AttrValue>();
    for (const a of n.attribute ?? []) {
      const v = decodeAttr(a as InstanceType<typeof onnx.AttributeProto>, file);
      if (v !== undefined) attrs.set(a.name ?? '', v);
    }
    const node: OnnxNode = { name: n.name || `${n.opType}_${i}`, op: n.opType, domain: n.domain ?? '', inputs: [...(n.input ?? [])], outputs: [...(n.output ?? [])], attrs };
    const value = attrs.get('value');
    if (node.op === 'Constant' && value !== undefined && typeof value === 'object' && !Array.isArray(value)) {
      inits.set(node.outputs[0]!, { ...value, name: node.outputs[0]! });
      return;
    }
    nodes.push(node);
  });
  const inputs = ((g.input ?? []) as InstanceType<typeof onnx.ValueInfoProto>[])
    .filter((v) => !inits.has(v.name))
    .map((v) => ({ name: v.name, shape: (v.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null && num(d.dimValue) > 0 ? num(d.dimValue) : undefined)) }));
  return { file, hash: createHash('sha256').update(bytes).digest('hex'), producer: [m.producerName, m.producerVersion].filter(Boolean).join(' '), opset, nodes, inits, inputs, outputs: ((g.output ?? []) as InstanceType<typeof onnx.ValueInfoProto>[]).map((o) => o.name) };
}

export function readOnnx(path: string): OnnxModel {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return fail('F8E001', `cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { file: path });
  }
  return parseOnnx(bytes, path);
}
