/**
 * Writes small TFLite int8 models with the flatbuffers Builder (TensorFlow
 * is not available here): the repository's own test models. Field ids from
 * ./schema.ts; the reader reads back what this writes.
 */
import { Builder } from 'flatbuffers';
import { F, TT } from './schema.js';

export interface WTensor {
  name: string;
  shape: number[];
  type: keyof typeof TT;
  scale?: number[];
  zeroPoint?: number[];
  quantizedDimension?: number;
  data?: Int8Array | Int32Array;
}

/** An options table: field id -> value; `int8`/`int32`/`float32` say how to store it. */
export interface WOptions {
  type: number;
  fields: { id: number; kind: 'int8' | 'int32' | 'float32' | 'int32s'; value: number | number[] }[];
}

export interface WOperator {
  builtin: number;
  inputs: number[];
  outputs: number[];
  options?: WOptions;
}

export interface WModel {
  tensors: WTensor[];
  inputs: number[];
  outputs: number[];
  operators: WOperator[];
}

/** The JS Builder takes field ids (not vtable byte offsets). */
const slot = (id: number) => id;

function intVector(b: Builder, xs: number[]): number {
  b.startVector(4, xs.length, 4);
  for (let i = xs.length - 1; i >= 0; i--) b.addInt32(xs[i]!);
  return b.endVector();
}

function floatVector(b: Builder, xs: number[]): number {
  b.startVector(4, xs.length, 4);
  for (let i = xs.length - 1; i >= 0; i--) b.addFloat32(xs[i]!);
  return b.endVector();
}

function longVector(b: Builder, xs: number[]): number {
  b.startVector(8, xs.length, 8);
  for (let i = xs.length - 1; i >= 0; i--) b.addInt64(BigInt(xs[i]!));
  return b.endVector();
}

function table(b: Builder, n: number, add: () => void): number {
  b.startObject(n);
  add();
  return b.endObject();
}

export function writeTflite(m: WModel): Uint8Array {
  const b = new Builder(4096);
  const codes = [...new Set(m.operators.map((o) => o.builtin))];
  // Buffers: 0 is the empty sentinel; one per constant tensor.
  const bufIndex: number[] = [];
  const bufOffsets: number[] = [table(b, 1, () => {})];
  m.tensors.forEach((t, i) => {
    if (!t.data) return (bufIndex[i] = 0);
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    b.startVector(1, bytes.length, 16);
    for (let k = bytes.length - 1; k >= 0; k--) b.addInt8(bytes[k]!);
    const vec = b.endVector();
    bufIndex[i] = bufOffsets.length;
    bufOffsets.push(table(b, 3, () => b.addFieldOffset(slot(F.buffer.data), vec, 0)));
  });
  const tensors = m.tensors.map((t, i) => {
    const name = b.createString(t.name);
    const shape = intVector(b, t.shape);
    let quant = 0;
    if (t.scale) {
      const s = floatVector(b, t.scale);
      const z = longVector(b, t.zeroPoint ?? t.scale.map(() => 0));
      quant = table(b, 7, () => {
        b.addFieldOffset(slot(F.quant.scale), s, 0);
        b.addFieldOffset(slot(F.quant.zeroPoint), z, 0);
        b.addFieldInt32(slot(F.quant.quantizedDimension), t.quantizedDimension ?? 0, 0);
      });
    }
    return table(b, 5, () => {
      b.addFieldOffset(slot(F.tensor.shape), shape, 0);
      b.addFieldInt8(slot(F.tensor.type), TT[t.type], 0);
      b.addFieldInt32(slot(F.tensor.buffer), bufIndex[i]!, 0);
      b.addFieldOffset(slot(F.tensor.name), name, 0);
      if (quant) b.addFieldOffset(slot(F.tensor.quantization), quant, 0);
    });
  });
  const ops = m.operators.map((o) => {
    const ins = intVector(b, o.inputs);
    const outs = intVector(b, o.outputs);
    let opt = 0;
    if (o.options) {
      const vecs = o.options.fields.map((f) => (f.kind === 'int32s' ? intVector(b, f.value as number[]) : 0));
      const n = Math.max(...o.options.fields.map((f) => f.id)) + 1;
      opt = table(b, n, () =>
        o.options!.fields.forEach((f, k) => {
          if (f.kind === 'int8') b.addFieldInt8(slot(f.id), f.value as number, null);
          else if (f.kind === 'int32') b.addFieldInt32(slot(f.id), f.value as number, null);
          else if (f.kind === 'float32') b.addFieldFloat32(slot(f.id), f.value as number, null);
          else b.addFieldOffset(slot(f.id), vecs[k]!, 0);
        }),
      );
    }
    return table(b, 5, () => {
      b.addFieldInt32(slot(F.operator.opcodeIndex), codes.indexOf(o.builtin), 0);
      b.addFieldOffset(slot(F.operator.inputs), ins, 0);
      b.addFieldOffset(slot(F.operator.outputs), outs, 0);
      if (o.options) {
        b.addFieldInt8(slot(F.operator.builtinOptionsType), o.options.type, 0);
        b.addFieldOffset(slot(F.operator.builtinOptions), opt, 0);
      }
    });
  });
  const vecOf = (xs: number[]) => {
    b.startVector(4, xs.length, 4);
    for (let i = xs.length - 1; i >= 0; i--) b.addOffset(xs[i]!);
    return b.endVector();
  };
  const tv = vecOf(tensors);
  const ov = vecOf(ops);
  const sin = intVector(b, m.inputs);
  const sout = intVector(b, m.outputs);
  const sg = table(b, 5, () => {
    b.addFieldOffset(slot(F.subgraph.tensors), tv, 0);
    b.addFieldOffset(slot(F.subgraph.inputs), sin, 0);
    b.addFieldOffset(slot(F.subgraph.outputs), sout, 0);
    b.addFieldOffset(slot(F.subgraph.operators), ov, 0);
  });
  const opcodes = codes.map((c) =>
    table(b, 4, () => {
      b.addFieldInt8(slot(F.opcode.deprecatedBuiltinCode), Math.min(c, 127), 0);
      b.addFieldInt32(slot(F.opcode.version), 1, 1);
      b.addFieldInt32(slot(F.opcode.builtinCode), c, 0);
    }),
  );
  const codesV = vecOf(opcodes);
  const sgV = vecOf([sg]);
  const bufV = vecOf(bufOffsets);
  const desc = b.createString('f8c test model');
  const root = table(b, 5, () => {
    b.addFieldInt32(slot(F.model.version), 3, 0);
    b.addFieldOffset(slot(F.model.operatorCodes), codesV, 0);
    b.addFieldOffset(slot(F.model.subgraphs), sgV, 0);
    b.addFieldOffset(slot(F.model.description), desc, 0);
    b.addFieldOffset(slot(F.model.buffers), bufV, 0);
  });
  b.finish(root, 'TFL3');
  return b.asUint8Array().slice();
}
