/**
 * TFLite int8 model -> f8c Graph with affine tensors. One f8c layer per
 * TFLite operator (plus a reshape where FULLY_CONNECTED's input is not
 * [1, K], and after MEAN without keep_dims); MEAN over H and W is
 * global_avg_pool (TFLite's integer mean on affine tensors); fused activations become the output tensor's [qmin, qmax]
 * (TFLite's CalculateActivationRangeQuantized); depthwise weights
 * [1, KH, KW, C*m] are transposed to OHWI [C*m, KH, KW, 1] with groups = C.
 * QUANTIZE/DEQUANTIZE at the model edges are dropped: the edge tensors'
 * scale and zero point are in the model (and in the generated header).
 */
import { DTYPE_RANGE, type AffineQuant, type DType, type Graph, type Layer, type OpKind, type Tensor, type TensorData } from '../../ir/types.js';
import { getOp } from '../../ops/registry.js';
import { roundAway } from '../../arith/tflite.js';
import { ACT, BUILTIN, F, PADDING } from './schema.js';
import type { TflModel, TflOperator, TflTensor } from './reader.js';

export class ImportProblem extends Error {
  constructor(
    readonly code: 'F8E111' | 'F8E112',
    message: string,
  ) {
    super(message);
  }
}

const SUPPORTED = new Set<number>([
  BUILTIN.CONV_2D, BUILTIN.DEPTHWISE_CONV_2D, BUILTIN.FULLY_CONNECTED, BUILTIN.ADD, BUILTIN.AVERAGE_POOL_2D,
  BUILTIN.MAX_POOL_2D, BUILTIN.RESHAPE, BUILTIN.SOFTMAX, BUILTIN.QUANTIZE, BUILTIN.DEQUANTIZE,
  BUILTIN.LOGISTIC, BUILTIN.TANH, BUILTIN.PAD, BUILTIN.CONCATENATION, BUILTIN.MEAN,
]);

/** The names of every operator f8c cannot import (one diagnostic lists them all). */
export function unsupportedOps(m: TflModel): string[] {
  const names = new Set<string>();
  for (const o of m.operators) if (!SUPPORTED.has(o.builtin)) names.add(o.opName);
  return [...names];
}

function cleanName(t: TflTensor): string {
  const last = t.name.split(';').pop()!.replace(/[^A-Za-z0-9_./:-]/g, '_');
  return `t${t.index}_${last.slice(-48)}`;
}

class Builder {
  tensors = new Map<string, Tensor>();
  layers: Layer[] = [];
  names = new Map<number, string>();
  constructor(readonly m: TflModel) {}

  fail(o: TflOperator, msg: string): never {
    throw new ImportProblem('F8E112', `operator ${o.index} (${o.opName}): ${msg}`);
  }

  quantOf(t: TflTensor, dtype: DType): AffineQuant {
    const [lo, hi] = DTYPE_RANGE[dtype];
    const q = t.quant;
    if (!q) return { kind: 'affine', scale: 1, zeroPoint: 0, qmin: lo, qmax: hi };
    if (q.zeroPoint.some((z) => z !== q.zeroPoint[0])) throw new ImportProblem('F8E112', `tensor ${t.index} '${t.name}' has per-channel zero points; f8c needs one`);
    const per = q.scale.length > 1;
    return { kind: 'affine', scale: per ? q.scale : q.scale[0]!, zeroPoint: q.zeroPoint[0] ?? 0, ...(per ? { axis: q.quantizedDimension } : {}), qmin: lo, qmax: hi };
  }

  dtypeOf(t: TflTensor): DType {
    if (t.type === 'int8' || t.type === 'int32' || t.type === 'int16' || t.type === 'uint8') return t.type;
    throw new ImportProblem('F8E112', `tensor ${t.index} '${t.name}' is ${t.type}; f8c imports int8 models`);
  }

  /** The name of activation tensor i, declaring it on first use. */
  act(i: number, shape?: number[]): string {
    const have = this.names.get(i);
    if (have) return have;
    const t = this.m.tensors[i]!;
    if (t.type !== 'int8') throw new ImportProblem('F8E112', `activation ${i} '${t.name}' is ${t.type}; f8c imports int8 activations`);
    const name = cleanName(t);
    this.tensors.set(name, { name, shape: shape ?? (t.shape.length === 0 ? [1] : [...t.shape]), dtype: 'int8', quant: this.quantOf(t, 'int8') });
    this.names.set(i, name);
    return name;
  }

  constTensor(i: number, shape?: number[], data?: TensorData, quant?: AffineQuant): string {
    const t = this.m.tensors[i]!;
    if (!t.data) throw new ImportProblem('F8E112', `tensor ${i} '${t.name}' should be constant but has no data`);
    const dtype = this.dtypeOf(t);
    const name = cleanName(t) + (shape ? '_ohwi' : '');
    if (this.tensors.has(name)) return name;
    const bytes = new Uint8Array(t.data); // aligned copy
    const d = data ?? (dtype === 'int32' ? new Int32Array(bytes.buffer) : dtype === 'int8' ? new Int8Array(bytes.buffer) : new Uint8Array(bytes.buffer));
    this.tensors.set(name, { name, shape: shape ?? [...t.shape], dtype, quant: quant ?? this.quantOf(t, dtype), data: d });
    return name;
  }

  /** Output activation with the fused activation's clamp as [qmin, qmax]. */
  out(i: number, act: number, shape?: number[]): string {
    const name = this.act(i, shape);
    const t = this.tensors.get(name)!;
    const q = t.quant as AffineQuant;
    const s = q.scale as number;
    const quantize = (f: number) => q.zeroPoint + roundAway(Math.fround(f / s));
    if (act === ACT.RELU) q.qmin = Math.max(q.qmin, quantize(0));
    else if (act === ACT.RELU6) (q.qmin = Math.max(q.qmin, quantize(0))), (q.qmax = Math.min(q.qmax, quantize(6)));
    else if (act === ACT.RELU_N1_TO_1) (q.qmin = Math.max(q.qmin, quantize(-1))), (q.qmax = Math.min(q.qmax, quantize(1)));
    else if (act !== ACT.NONE) throw new ImportProblem('F8E112', `fused activation ${act} is not supported`);
    return name;
  }

  layer(o: TflOperator, op: OpKind, inputs: string[], output: string, attrs: Record<string, unknown> = {}, rounding: Layer['rounding'] = 'half_even'): void {
    const parsed = getOp(op).attrs.parse(attrs) as Record<string, unknown>;
    this.layers.push({ name: `op${o.index}_${o.opName.toLowerCase()}`, op, inputs, outputs: [output], attrs: parsed, rounding });
  }
}

function padding(p: number): 'same' | 'valid' {
  return p === PADDING.SAME ? 'same' : 'valid';
}

function convertOp(b: Builder, o: TflOperator): void {
  const opt = o.options;
  const ins = o.inputs;
  const outIdx = o.outputs[0]!;
  const tIn = (k: number) => b.m.tensors[ins[k]!]!;
  switch (o.builtin) {
    case BUILTIN.CONV_2D: {
      const f = F.conv;
      const x = b.act(ins[0]!);
      const w = b.constTensor(ins[1]!);
      const bias = ins[2] !== undefined && ins[2] >= 0 ? [b.constTensor(ins[2])] : [];
      const attrs = {
        strides: [opt?.int32(f.strideH, 1) ?? 1, opt?.int32(f.strideW, 1) ?? 1],
        dilations: [opt?.int32(f.dilationH, 1) ?? 1, opt?.int32(f.dilationW, 1) ?? 1],
        padding: padding(opt?.int8(f.padding) ?? 0),
      };
      b.layer(o, 'conv2d', [x, w, ...bias], b.out(outIdx, opt?.int8(f.activation) ?? 0), attrs);
      return;
    }
    case BUILTIN.DEPTHWISE_CONV_2D: {
      const f = F.dwconv;
      const x = b.act(ins[0]!);
      const wt = tIn(1);
      const [, KH, KW, C] = wt.shape as [number, number, number, number];
      const src = new Int8Array(new Uint8Array(wt.data!).buffer);
      const ohwi = new Int8Array(src.length);
      for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) for (let c = 0; c < C; c++) ohwi[(c * KH + ky) * KW + kx] = src[(ky * KW + kx) * C + c]!;
      const q = b.quantOf(wt, 'int8');
      const w = b.constTensor(ins[1]!, [C, KH, KW, 1], ohwi, { ...q, ...(q.axis !== undefined ? { axis: 0 } : {}) });
      const bias = ins[2] !== undefined && ins[2] >= 0 ? [b.constTensor(ins[2])] : [];
      const cin = b.tensors.get(x)!.shape[3]!;
      const attrs = {
        strides: [opt?.int32(f.strideH, 1) ?? 1, opt?.int32(f.strideW, 1) ?? 1],
        dilations: [opt?.int32(f.dilationH, 1) ?? 1, opt?.int32(f.dilationW, 1) ?? 1],
        padding: padding(opt?.int8(f.padding) ?? 0),
        groups: cin,
      };
      b.layer(o, 'conv2d', [x, w, ...bias], b.out(outIdx, opt?.int8(f.activation) ?? 0), attrs);
      return;
    }
    case BUILTIN.FULLY_CONNECTED: {
      const f = F.fc;
      if ((opt?.int8(f.weightsFormat) ?? 0) !== 0) b.fail(o, 'shuffled weights are not supported');
      let x = b.act(ins[0]!);
      const wt = tIn(1);
      const K = wt.shape[1]!;
      const xt = b.tensors.get(x)!;
      if (xt.shape.length !== 2 || xt.shape[1] !== K) {
        if (xt.shape.reduce((p, v) => p * v, 1) !== K) b.fail(o, `input [${xt.shape}] is not one row of ${K}`);
        const flat = `${x}_flat`;
        b.tensors.set(flat, { ...xt, name: flat, shape: [1, K], quant: { ...(xt.quant as AffineQuant) } });
        b.layers.push({ name: `op${o.index}_flatten`, op: 'reshape', inputs: [x], outputs: [flat], attrs: { shape: [1, K] }, rounding: 'half_even' });
        x = flat;
      }
      const w = b.constTensor(ins[1]!);
      const bias = ins[2] !== undefined && ins[2] >= 0 ? [b.constTensor(ins[2])] : [];
      const ot = b.m.tensors[outIdx]!;
      const N = wt.shape[0]!;
      if (ot.shape.reduce((p, v) => p * v, 1) !== N) b.fail(o, `output [${ot.shape}] is not one row of ${N}`);
      b.layer(o, 'dense', [x, w, ...bias], b.out(outIdx, opt?.int8(f.activation) ?? 0, [1, N]));
      return;
    }
    case BUILTIN.ADD: {
      const a = b.act(ins[0]!);
      const c = b.act(ins[1]!);
      const sa = b.tensors.get(a)!.shape;
      const sc = b.tensors.get(c)!.shape;
      if (sa.length !== sc.length || sa.some((d, i) => d !== sc[i])) b.fail(o, `broadcasting [${sa}] + [${sc}] is not supported`);
      b.layer(o, 'add', [a, c], b.out(outIdx, opt?.int8(F.add.activation) ?? 0));
      return;
    }
    case BUILTIN.AVERAGE_POOL_2D:
    case BUILTIN.MAX_POOL_2D: {
      const f = F.pool;
      const x = b.act(ins[0]!);
      const attrs: Record<string, unknown> = {
        kernel: [opt?.int32(f.filterH, 1) ?? 1, opt?.int32(f.filterW, 1) ?? 1],
        strides: [opt?.int32(f.strideH, 1) ?? 1, opt?.int32(f.strideW, 1) ?? 1],
        padding: padding(opt?.int8(f.padding) ?? 0),
      };
      const avg = o.builtin === BUILTIN.AVERAGE_POOL_2D;
      b.layer(o, avg ? 'avg_pool' : 'max_pool', [x], b.out(outIdx, opt?.int8(f.activation) ?? 0), attrs, avg ? 'half_away' : 'half_even');
      return;
    }
    case BUILTIN.RESHAPE: {
      const x = b.act(ins[0]!);
      const ot = b.m.tensors[outIdx]!;
      const shape = [...ot.shape];
      b.layer(o, 'reshape', [x], b.out(outIdx, ACT.NONE), { shape });
      return;
    }
    case BUILTIN.SOFTMAX: {
      const x = b.act(ins[0]!);
      const beta = opt?.float32(F.softmax.beta, 0) ?? 0; // the schema's default is 0
      b.layer(o, 'softmax', [x], b.out(outIdx, ACT.NONE), { variant: 'tflite', beta });
      return;
    }
    case BUILTIN.LOGISTIC:
    case BUILTIN.TANH: {
      const x = b.act(ins[0]!);
      b.layer(o, o.builtin === BUILTIN.LOGISTIC ? 'sigmoid' : 'tanh', [x], b.out(outIdx, ACT.NONE));
      return;
    }
    case BUILTIN.PAD: {
      const x = b.act(ins[0]!);
      const pt = tIn(1);
      if (!pt.data || pt.type !== 'int32') b.fail(o, 'paddings must be a constant int32 tensor');
      const p = new Int32Array(new Uint8Array(pt.data).buffer);
      const rank = b.tensors.get(x)!.shape.length;
      if (p.length !== rank * 2) b.fail(o, `paddings has ${p.length} values for a rank-${rank} input`);
      const pads = Array.from({ length: rank }, (_, d) => [p[2 * d]!, p[2 * d + 1]!]);
      b.layer(o, 'pad', [x], b.out(outIdx, ACT.NONE), { pads });
      return;
    }
    case BUILTIN.CONCATENATION: {
      const xs = ins.map((i) => b.act(i));
      b.layer(o, 'concat', xs, b.out(outIdx, opt?.int8(F.concat.activation) ?? 0), { axis: opt?.int32(F.concat.axis, 0) ?? 0 });
      return;
    }
    case BUILTIN.MEAN: {
      // Global average over H and W (axes 1 and 2 of NHWC): global_avg_pool
      // with TFLite's integer mean; keep_dims false adds a reshape to [1, C].
      const x = b.act(ins[0]!);
      const xt = b.tensors.get(x)!;
      const at = tIn(1);
      if (!at.data || at.type !== 'int32') b.fail(o, 'axis must be a constant int32 tensor');
      const rank = xt.shape.length;
      const axes = [...new Int32Array(new Uint8Array(at.data).buffer)].map((a) => (a < 0 ? a + rank : a)).sort();
      if (rank !== 4 || xt.shape[0] !== 1 || axes.length !== 2 || axes[0] !== 1 || axes[1] !== 2)
        b.fail(o, `only the mean over H and W (axes 1 and 2 of a [1, H, W, C] input) is supported; input [${xt.shape}], axes [${axes}]`);
      const C = xt.shape[3]!;
      if (opt?.bool(F.reducer.keepDims, false)) {
        b.layer(o, 'global_avg_pool', [x], b.out(outIdx, ACT.NONE, [1, 1, 1, C]));
        return;
      }
      const out = b.out(outIdx, ACT.NONE, [1, C]);
      const mid = `${out}_hw`;
      b.tensors.set(mid, { ...b.tensors.get(out)!, name: mid, shape: [1, 1, 1, C], quant: { ...(b.tensors.get(out)!.quant as AffineQuant) } });
      b.layer(o, 'global_avg_pool', [x], mid);
      b.layers.push({ name: `op${o.index}_squeeze`, op: 'reshape', inputs: [mid], outputs: [out], attrs: { shape: [1, C] }, rounding: 'half_even' });
      return;
    }
    default:
      b.fail(o, 'not supported');
  }
}

/** Builds the graph. Throws ImportProblem (with a diagnostic code) on anything f8c cannot represent. */
export function convertTflite(m: TflModel, name: string): Graph {
  const bad = unsupportedOps(m);
  if (bad.length) throw new ImportProblem('F8E111', `unsupported operators: ${bad.join(', ')}`);
  const b = new Builder(m);
  // Edge QUANTIZE/DEQUANTIZE: the int8 side becomes the model's input/output.
  const alias = new Map<number, number>();
  const edgeIn = new Set(m.inputs);
  const edgeOut = new Set(m.outputs);
  const inputs = [...m.inputs];
  const outputs = [...m.outputs];
  for (const o of m.operators) {
    if (o.builtin === BUILTIN.QUANTIZE && edgeIn.has(o.inputs[0]!)) inputs[inputs.indexOf(o.inputs[0]!)] = o.outputs[0]!;
    else if (o.builtin === BUILTIN.DEQUANTIZE && edgeOut.has(o.outputs[0]!)) outputs[outputs.indexOf(o.outputs[0]!)] = o.inputs[0]!;
    else if (o.builtin === BUILTIN.QUANTIZE || o.builtin === BUILTIN.DEQUANTIZE) b.fail(o, 'QUANTIZE/DEQUANTIZE are supported only at the model inputs and outputs');
    else continue;
    alias.set(o.index, 1);
  }
  for (const i of inputs) b.act(i);
  for (const o of m.operators) if (!alias.has(o.index)) convertOp(b, o);
  return {
    name,
    source: { file: '', hash: '', producer: `TFLite v${m.version} ${m.description}`.trim(), layout: 'nhwc' },
    inputs: inputs.map((i) => b.act(i)),
    outputs: outputs.map((i) => b.act(i)),
    tensors: b.tensors,
    layers: b.layers,
    affineRounding: 'double',
  };
}
