/**
 * Reads a .tflite flatbuffer into plain objects through the flatbuffers
 * runtime's table accessors (field ids in ./schema.ts). Only the first
 * subgraph is read (f8c compiles one graph). Problems are thrown as
 * TfliteFormatError with a message naming what is wrong.
 */
import { ByteBuffer } from 'flatbuffers';
import { BUILTIN_NAME, F, TENSOR_TYPE } from './schema.js';

export class TfliteFormatError extends Error {}

export interface TflQuant {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
}

export interface TflTensor {
  index: number;
  name: string;
  shape: number[];
  type: string;
  buffer: number;
  quant?: TflQuant;
  /** The constant bytes, when the tensor's buffer has data. */
  data?: Uint8Array;
}

export interface TflOperator {
  index: number;
  /** BuiltinOperator value (CUSTOM for custom ops). */
  builtin: number;
  /** BUILTIN name, or `BUILTIN_<n>` / the custom code. */
  opName: string;
  inputs: number[];
  outputs: number[];
  /** The builtin options table, or undefined when absent. */
  options?: Table;
}

export interface TflModel {
  version: number;
  description: string;
  tensors: TflTensor[];
  inputs: number[];
  outputs: number[];
  operators: TflOperator[];
  subgraphs: number;
}

/** A flatbuffer table at a position, with typed field accessors by field id. */
export class Table {
  constructor(
    readonly bb: ByteBuffer,
    readonly pos: number,
  ) {}
  private off(id: number): number {
    return this.bb.__offset(this.pos, 4 + 2 * id);
  }
  has(id: number): boolean {
    return this.off(id) !== 0;
  }
  int8(id: number, dflt = 0): number {
    const o = this.off(id);
    return o ? this.bb.readInt8(this.pos + o) : dflt;
  }
  uint8(id: number, dflt = 0): number {
    const o = this.off(id);
    return o ? this.bb.readUint8(this.pos + o) : dflt;
  }
  int32(id: number, dflt = 0): number {
    const o = this.off(id);
    return o ? this.bb.readInt32(this.pos + o) : dflt;
  }
  uint32(id: number, dflt = 0): number {
    const o = this.off(id);
    return o ? this.bb.readUint32(this.pos + o) : dflt;
  }
  uint64(id: number): bigint {
    const o = this.off(id);
    return o ? this.bb.readUint64(this.pos + o) : 0n;
  }
  float32(id: number, dflt = 0): number {
    const o = this.off(id);
    return o ? this.bb.readFloat32(this.pos + o) : dflt;
  }
  bool(id: number, dflt = false): boolean {
    const o = this.off(id);
    return o ? this.bb.readInt8(this.pos + o) !== 0 : dflt;
  }
  string(id: number): string | undefined {
    const o = this.off(id);
    return o ? (this.bb.__string(this.pos + o) as string) : undefined;
  }
  table(id: number): Table | undefined {
    const o = this.off(id);
    return o ? new Table(this.bb, this.bb.__indirect(this.pos + o)) : undefined;
  }
  private vec(id: number): [number, number] | undefined {
    const o = this.off(id);
    if (!o) return undefined;
    return [this.bb.__vector(this.pos + o), this.bb.__vector_len(this.pos + o)];
  }
  tables(id: number): Table[] {
    const v = this.vec(id);
    if (!v) return [];
    const out: Table[] = [];
    for (let i = 0; i < v[1]; i++) out.push(new Table(this.bb, this.bb.__indirect(v[0] + 4 * i)));
    return out;
  }
  int32s(id: number): number[] {
    const v = this.vec(id);
    if (!v) return [];
    return Array.from({ length: v[1] }, (_, i) => this.bb.readInt32(v[0] + 4 * i));
  }
  float32s(id: number): number[] {
    const v = this.vec(id);
    if (!v) return [];
    return Array.from({ length: v[1] }, (_, i) => this.bb.readFloat32(v[0] + 4 * i));
  }
  int64s(id: number): number[] {
    const v = this.vec(id);
    if (!v) return [];
    return Array.from({ length: v[1] }, (_, i) => Number(this.bb.readInt64(v[0] + 8 * i)));
  }
  bytes(id: number): Uint8Array | undefined {
    const v = this.vec(id);
    if (!v) return undefined;
    const b = this.bb.bytes();
    return b.subarray(v[0], v[0] + v[1]);
  }
}

export function readTflite(bytes: Uint8Array): TflModel {
  if (bytes.length < 8) throw new TfliteFormatError('file too short for a flatbuffer');
  const ident = String.fromCharCode(...bytes.subarray(4, 8));
  if (ident !== 'TFL3') throw new TfliteFormatError(`not a TFLite model (file identifier '${ident}', expected 'TFL3')`);
  const bb = new ByteBuffer(bytes);
  let model: Table;
  try {
    model = new Table(bb, bb.readInt32(0));
  } catch (e) {
    throw new TfliteFormatError(`unreadable flatbuffer: ${(e as Error).message}`);
  }
  const m = F.model;
  const buffers = model.tables(m.buffers);
  const codes = model.tables(m.operatorCodes).map((c) => {
    const dep = c.int8(F.opcode.deprecatedBuiltinCode);
    const code = Math.max(dep, c.int32(F.opcode.builtinCode));
    return { code, custom: c.string(F.opcode.customCode) };
  });
  const subgraphs = model.tables(m.subgraphs);
  if (subgraphs.length === 0) throw new TfliteFormatError('model has no subgraph');
  const sg = subgraphs[0]!;
  const bufferData = (i: number): Uint8Array | undefined => {
    const b = buffers[i];
    if (!b) return undefined;
    const off = b.uint64(F.buffer.offset);
    if (off > 1n) {
      const size = Number(b.uint64(F.buffer.size));
      return bytes.subarray(Number(off), Number(off) + size);
    }
    const d = b.bytes(F.buffer.data);
    return d && d.length > 0 ? d : undefined;
  };
  const tensors = sg.tables(F.subgraph.tensors).map((t, index): TflTensor => {
    const typeNum = t.int8(F.tensor.type);
    const q = t.table(F.tensor.quantization);
    const scale = q ? q.float32s(F.quant.scale) : [];
    const buffer = t.uint32(F.tensor.buffer);
    return {
      index,
      name: t.string(F.tensor.name) ?? `tensor_${index}`,
      shape: t.int32s(F.tensor.shape),
      type: TENSOR_TYPE[typeNum] ?? `type_${typeNum}`,
      buffer,
      ...(q && scale.length > 0
        ? { quant: { scale, zeroPoint: q.int64s(F.quant.zeroPoint), quantizedDimension: q.int32(F.quant.quantizedDimension) } }
        : {}),
      ...(bufferData(buffer) ? { data: bufferData(buffer) } : {}),
    };
  });
  const operators = sg.tables(F.subgraph.operators).map((o, index): TflOperator => {
    const ci = o.uint32(F.operator.opcodeIndex);
    const c = codes[ci];
    if (!c) throw new TfliteFormatError(`operator ${index} names opcode ${ci}; the model has ${codes.length}`);
    const opName = c.custom !== undefined && c.code === 32 ? `CUSTOM(${c.custom})` : (BUILTIN_NAME[c.code] ?? `BUILTIN_${c.code}`);
    return {
      index,
      builtin: c.code,
      opName,
      inputs: o.int32s(F.operator.inputs),
      outputs: o.int32s(F.operator.outputs),
      options: o.table(F.operator.builtinOptions),
    };
  });
  return {
    version: model.uint32(m.version),
    description: model.string(m.description) ?? '',
    tensors,
    inputs: sg.int32s(F.subgraph.inputs),
    outputs: sg.int32s(F.subgraph.outputs),
    operators,
    subgraphs: subgraphs.length,
  };
}

/** A one-line-per-item listing of a model: operators, then tensors with quantisation. */
export function describeTflite(m: TflModel): string[] {
  const lines = [`TFLite v${m.version} '${m.description}': ${m.operators.length} operators, ${m.tensors.length} tensors, ${m.subgraphs} subgraph(s)`];
  lines.push(`inputs ${m.inputs.join(', ')}; outputs ${m.outputs.join(', ')}`);
  for (const o of m.operators) lines.push(`op ${o.index} ${o.opName} in [${o.inputs.join(', ')}] out [${o.outputs.join(', ')}]`);
  for (const t of m.tensors) {
    const q = t.quant;
    const qs = q
      ? ` scale ${q.scale.length === 1 ? q.scale[0] : `[${q.scale.length}] on dim ${q.quantizedDimension}`} zp ${q.zeroPoint.length === 1 ? q.zeroPoint[0] : `[${q.zeroPoint.length}]`}`
      : '';
    lines.push(`tensor ${t.index} '${t.name}' ${t.type} [${t.shape.join(', ')}]${t.data ? ` const ${t.data.length} B` : ''}${qs}`);
  }
  return lines;
}
