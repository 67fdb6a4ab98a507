/**
 * FGraph + chosen formats + integer weights -> f8c Graph (GraphBuilder).
 * A fused relu/clip becomes the output tensor's saturation: [qmin, qmax] is
 * intersected with [round(lo * 2^FL), round(hi * 2^FL)] (round half to
 * even; clamping then rounding equals rounding then clamping to the rounded
 * bounds, so this is exactly what Clip followed by QuantizeLinear does).
 */
import { GraphBuilder, type FormatSpec } from '../../ir/builder.js';
import type { Graph, OpKind } from '../../ir/types.js';
import { roundHalfEven } from '../../util/quantize.js';
import type { ActFormat, FGraph, FNode } from './fgraph.js';

export interface IntConst {
  q: ArrayLike<number>;
  fl: number | number[];
}

export interface Quantised {
  formats: Map<string, ActFormat>;
  weights: Map<string, IntConst>;
  biases: Map<string, IntConst>;
}

const BIG = 2 ** 40;

/** The output format of node `n` with its fused activation folded into qmin/qmax. */
export function outFormat(n: FNode | undefined, f: ActFormat): ActFormat {
  if (!n?.act) return f;
  const s = 2 ** f.fl;
  const lo = n.act.lo === -Infinity ? f.qmin : Math.max(f.qmin, roundHalfEven(n.act.lo * s));
  const hi = n.act.hi === Infinity ? f.qmax : Math.min(f.qmax, roundHalfEven(n.act.hi * s));
  return lo <= hi ? { ...f, qmin: lo, qmax: hi } : f;
}

const spec = (f: ActFormat): FormatSpec => ({ dtype: f.dtype, fl: f.fl, qmin: f.qmin, qmax: f.qmax });

/**
 * A standalone clip: f8c's clip clamps to [ceil(min * 2^FL), floor(max * 2^FL)]
 * in output units, while Clip followed by QuantizeLinear clamps to the
 * bounds rounded half to even (rounding is monotonic). So the bounds are
 * rounded here to the output grid first, which makes ceil/floor exact.
 */
function clipBound(v: number, fl: number): number {
  if (!Number.isFinite(v)) return v < 0 ? -BIG : BIG;
  return Math.min(BIG, Math.max(-BIG, roundHalfEven(v * 2 ** fl))) / 2 ** fl;
}

function f8cOp(n: FNode, out: ActFormat): { op: OpKind; attrs: Record<string, unknown> } {
  switch (n.op) {
    case 'sigmoid': return { op: 'pocket_sigmoid', attrs: {} };
    case 'tanh': return { op: 'pocket_tanh', attrs: {} };
    case 'clip': {
      const min = n.attrs.min as number, max = n.attrs.max as number;
      if (min === 0 && max === 6 && Number.isInteger(6 * 2 ** out.fl)) return { op: 'relu6', attrs: {} };
      return { op: 'clip', attrs: { min: clipBound(min, out.fl), max: clipBound(max, out.fl) } };
    }
    case 'softmax': return { op: 'softmax', attrs: {} };
    default: return { op: n.op, attrs: n.attrs };
  }
}

export function buildGraph(fg: FGraph, q: Quantised): Graph {
  const b = new GraphBuilder(fg.name);
  const fmt = (t: string): ActFormat => {
    const f = q.formats.get(t);
    if (!f) throw new Error(`internal: no format for tensor '${t}'`);
    return f;
  };
  for (const i of fg.inputs) b.input(i, fg.shapes.get(i)!, spec(fmt(i)));
  for (const n of fg.nodes) {
    const inputs = [...n.inputs];
    if (n.op === 'conv2d' || n.op === 'dense') {
      const w = q.weights.get(n.name)!;
      const min = Math.min(...Array.from(w.q));
      inputs.push(b.const(`${n.name}.w`, n.wShape!, { dtype: 'int8', fl: w.fl, qmin: min < -127 ? -128 : -127, qmax: 127 }, w.q));
      const bias = q.biases.get(n.name);
      if (bias) inputs.push(b.const(`${n.name}.b`, [n.wShape![0]!], { dtype: 'int32', fl: bias.fl }, bias.q));
    }
    const { op, attrs } = f8cOp(n, fmt(n.output));
    b.layer(n.name, op, inputs, { name: n.output, ...spec(outFormat(n, fmt(n.output))) }, attrs);
  }
  b.output(...fg.outputs);
  const g = b.build();
  for (const t of g.tensors.values()) if (t.quant.kind === 'fixed' && typeof t.quant.fl !== 'number') t.quant.axis = 0;
  g.source = { file: `${fg.name}.onnx`, hash: '', producer: `f8c import${fg.producer ? ` (from ${fg.producer})` : ''}`, layout: 'nchw' };
  return g;
}
