/**
 * One converter per supported ONNX operator: NCHW attributes and shapes
 * become f8c's NHWC ones, Conv weights OIHW become OHWI, Gemm/MatMul
 * weights [N, K] (columns permuted when the input is a flattened NCHW
 * feature map), BatchNormalization is folded into the producing Conv/Gemm.
 */
import { numel } from '../../ir/types.js';
import { resolveWindow, type Padding } from '../../ops/common.js';
import { attrInts, attrNum, attrStr, ConvertCtx, NodeError } from './ctx.js';
import type { FNode, QConst } from './fgraph.js';
import type { OnnxNode } from './proto.js';

type Conv = (c: ConvertCtx, n: OnnxNode) => void;

function nhwcOf(s: number[]): [number, number, number] {
  return [s[1]!, s[2]!, s[3]!];
}

/** ONNX pads/auto_pad of a 2-D window -> f8c padding (SAME_UPPER is f8c's 'same'). */
function padding(n: OnnxNode, H: number, W: number, k: [number, number], s: [number, number], d: [number, number]): Padding {
  const auto = attrStr(n, 'auto_pad', 'NOTSET');
  if (auto === 'SAME_UPPER') return 'same';
  if (auto === 'VALID') return 'valid';
  if (auto === 'SAME_LOWER') {
    const r = resolveWindow(H, W, { kh: k[0], kw: k[1], strides: s, dilations: d, padding: 'same' });
    return [r.bottom, r.right, r.top, r.left];
  }
  const p = attrInts(n, 'pads', [0, 0, 0, 0])!;
  if (p.length !== 4) throw new NodeError('F8E102', `pads must have 4 entries for a 2-D window, got [${p}]`);
  return p.every((v) => v === 0) ? 'valid' : [p[0]!, p[1]!, p[2]!, p[3]!];
}

/** Weight of a Conv/Gemm: float values, or the exact integers of a DequantizeLinear. */
function weightOf(c: ConvertCtx, name: string): { w?: Float64Array; q?: QConst; dims: number[] } {
  const q = c.qconsts.get(c.root(name));
  if (q) return { q, dims: q.dims };
  const t = c.constOf(c.root(name), 'the weight');
  return { w: t.data, dims: t.dims };
}

function permuteArr(src: Float64Array, n: number, f: (i: number) => number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[f(i)] = src[i]!;
  return out;
}

function remapQ(q: QConst | undefined, n: number, f: (i: number) => number): QConst | undefined {
  return q && { fl: q.fl, q: permuteArr(q.q, n, f) };
}

/** q * 2^-fl * f as an exact integer constant: f must be a power of two (2^k), giving FL fl - k. */
function scaleQ(q: QConst | undefined, f: number, attr: string, what: string): QConst | undefined {
  if (!q || f === 1) return q;
  const k = Math.log2(f);
  if (!(f > 0) || !Number.isInteger(k)) throw new NodeError('F8E102', `attribute ${attr} = ${+f.toPrecision(7)} scales a quantised ${what}; only a power of two can be imported exactly`);
  return { q: q.q, fl: typeof q.fl === 'number' ? q.fl - k : q.fl.map((v) => v - k) };
}

function biasOf(c: ConvertCtx, name: string | undefined): { b?: Float64Array; bq?: QConst } {
  if (!name) return {};
  const q = c.qconsts.get(c.root(name));
  if (q) return { bq: q };
  return { b: c.constOf(c.root(name), 'the bias').data.slice() };
}

const conv: Conv = (c, n) => {
  const xs = c.shape(n.inputs[0]!);
  if (xs.length !== 4) throw new NodeError('F8E102', `only 2-D convolutions are supported (input rank ${xs.length})`);
  const wt = weightOf(c, n.inputs[1]!);
  const [O, IG, KH, KW] = wt.dims as [number, number, number, number];
  if (wt.dims.length !== 4) throw new NodeError('F8E102', `weight must be 4-D [O, I/group, KH, KW], got [${wt.dims}]`);
  const [H, W] = nhwcOf(xs);
  const strides = (attrInts(n, 'strides', [1, 1]) as [number, number]);
  const dilations = (attrInts(n, 'dilations', [1, 1]) as [number, number]);
  const groups = attrNum(n, 'group', 1);
  if (groups < 1 || IG * groups !== xs[3] || O % groups !== 0)
    throw new NodeError('F8E102', `attribute group = ${groups} does not fit ${xs[3]} input channels and weight [${wt.dims}] ([O, C/group, KH, KW])`);
  const pad = padding(n, H, W, [KH, KW], strides, dilations);
  // OIHW -> OHWI
  const toOhwi = (i: number) => {
    const kx = i % KW, ky = Math.floor(i / KW) % KH, ci = Math.floor(i / (KW * KH)) % IG, o = Math.floor(i / (KW * KH * IG));
    return ((o * KH + ky) * KW + kx) * IG + ci;
  };
  const N = O * IG * KH * KW;
  const r = resolveWindow(H, W, { kh: KH, kw: KW, strides, dilations, padding: pad });
  c.add({
    name: n.name, op: 'conv2d', inputs: [n.inputs[0]!], output: n.outputs[0]!,
    attrs: { strides, dilations, padding: pad, groups },
    w: wt.w && permuteArr(wt.w, N, toOhwi), wq: remapQ(wt.q, N, toOhwi), wShape: [O, KH, KW, IG], ...biasOf(c, n.inputs[2]),
  }, [1, r.outH, r.outW, O]);
};

function denseNode(c: ConvertCtx, n: OnnxNode, x: string, wName: string, transB: boolean, bias: string | undefined, alpha = 1, beta = 1): void {
  const xs = c.shape(x);
  if (xs.length !== 2) throw new NodeError('F8E102', `input must be [1, K], got [${xs}] (flatten it first)`);
  const wt = weightOf(c, wName);
  if (wt.dims.length !== 2) throw new NodeError('F8E102', `weight must be 2-D, got [${wt.dims}]`);
  const [N, K] = transB ? (wt.dims as [number, number]) : [wt.dims[1]!, wt.dims[0]!];
  if (K !== xs[1]) throw new NodeError('F8E102', `weight has K = ${K}, input has ${xs[1]}`);
  // Source index i of the [N, K] (or [K, N]) matrix -> destination [N, K'] with K' in f8c's NHWC flatten order.
  const chw = c.chw.get(c.root(x));
  const col = (k: number) => {
    if (!chw) return k;
    const [C, H, W] = chw;
    const ch = Math.floor(k / (H * W)), y = Math.floor(k / W) % H, xx = k % W;
    return (y * W + xx) * C + ch;
  };
  const dst = (i: number) => {
    const [nn, k] = transB ? [Math.floor(i / K), i % K] : [i % N, Math.floor(i / N)];
    return nn * K + col(k);
  };
  const w = wt.w && permuteArr(wt.w, N * K, dst).map((v) => v * alpha);
  const bb = biasOf(c, bias);
  if (bb.b && bb.b.length === 1 && N > 1) bb.b = new Float64Array(N).fill(bb.b[0]!);
  if (bb.b && bb.b.length !== N) throw new NodeError('F8E102', `bias has ${bb.b.length} values for ${N} outputs (no other broadcasting is supported)`);
  if (bb.bq && bb.bq.q.length !== N) throw new NodeError('F8E102', `bias has ${bb.bq.q.length} values for ${N} outputs (no broadcasting of a quantised bias)`);
  if (bb.b) bb.b = bb.b.map((v) => v * beta);
  // alpha/beta on exact integer constants: a power of two changes their FL exactly; anything else cannot be imported exactly.
  const wq = scaleQ(remapQ(wt.q, N * K, dst), alpha, 'alpha', 'weight');
  if (bb.bq) bb.bq = scaleQ(bb.bq, beta, 'beta', 'bias');
  c.add({ name: n.name, op: 'dense', inputs: [x], output: n.outputs[0]!, attrs: {}, w, wq, wShape: [N, K], ...bb }, [1, N]);
}

const gemm: Conv = (c, n) => {
  if (attrNum(n, 'transA', 0) !== 0) throw new NodeError('F8E102', 'transA = 1 is not supported');
  denseNode(c, n, n.inputs[0]!, n.inputs[1]!, attrNum(n, 'transB', 0) === 1, n.inputs[2] || undefined, attrNum(n, 'alpha', 1), attrNum(n, 'beta', 1));
};

const matmul: Conv = (c, n) => denseNode(c, n, n.inputs[0]!, n.inputs[1]!, false, undefined);

const batchnorm: Conv = (c, n) => {
  const x = c.root(n.inputs[0]!);
  const p = c.g.nodes.find((m) => m.output === x);
  if (!p || (p.op !== 'conv2d' && p.op !== 'dense') || (c.uses.get(n.inputs[0]!) ?? 0) > 1 || p.act)
    throw new NodeError('F8E102', 'BatchNormalization is folded into the Conv or Gemm right before it, which it must be the only reader of');
  if (!p.w) throw new NodeError('F8E102', 'BatchNormalization after a Conv/Gemm with quantised weights cannot be folded exactly');
  const [scale, bias, mean, vr] = [1, 2, 3, 4].map((i) => c.constOf(n.inputs[i]!, 'BatchNormalization parameter').data);
  const eps = attrNum(n, 'epsilon', 1e-5);
  const cout = p.wShape![0]!;
  const per = numel(p.wShape!) / cout;
  const b = p.b ?? new Float64Array(cout);
  for (let o = 0; o < cout; o++) {
    const s = scale![o]! / Math.sqrt(vr![o]! + eps);
    for (let i = o * per; i < (o + 1) * per; i++) p.w[i]! *= s;
    b[o] = (b[o]! - mean![o]!) * s + bias![o]!;
  }
  p.b = b;
  p.output = n.outputs[0]!;
  c.g.shapes.set(p.output, c.g.shapes.get(x)!);
};

function poolNode(op: 'max_pool' | 'avg_pool'): Conv {
  return (c, n) => {
    const xs = c.shape(n.inputs[0]!);
    if (xs.length !== 4) throw new NodeError('F8E102', `only 2-D pooling is supported (input rank ${xs.length})`);
    const k = attrInts(n, 'kernel_shape') as [number, number];
    const s = attrInts(n, 'strides', [1, 1]) as [number, number];
    if ((attrInts(n, 'dilations', [1, 1]) ?? []).some((d) => d !== 1)) throw new NodeError('F8E102', 'dilated pooling is not supported');
    if (!k || k.length !== 2) throw new NodeError('F8E102', `attribute kernel_shape must have 2 entries, got [${k ?? ''}]`);
    if (n.outputs.length > 1 && n.outputs[1]) throw new NodeError('F8E102', 'the second output (Indices) is not supported');
    const [H, W, C] = nhwcOf(xs);
    const pad = padding(n, H, W, k, s, [1, 1]);
    if (Array.isArray(pad) && (pad[0] >= k[0] || pad[2] >= k[0] || pad[1] >= k[1] || pad[3] >= k[1]))
      throw new NodeError('F8E102', `attribute pads [${attrInts(n, 'pads')}] must be smaller than kernel_shape [${k}] in each dimension`);
    const r = resolveWindow(H, W, { kh: k[0], kw: k[1], strides: s, dilations: [1, 1], padding: pad });
    if (attrNum(n, 'ceil_mode', 0) === 1) {
      const [t, l, b, rr] = pad === 'valid' ? [0, 0, 0, 0] : pad === 'same' ? [r.top, r.left, r.bottom, r.right] : pad;
      // ONNX (as PyTorch): the last window must start inside the input or its leading padding.
      const ceilOut = (n0: number, p0: number, p1: number, kk: number, ss: number) => {
        const o = Math.ceil((n0 + p0 + p1 - kk) / ss) + 1;
        return (o - 1) * ss >= n0 + p0 ? o - 1 : o;
      };
      const ceilH = ceilOut(H, t, b, k[0], s[0]), ceilW = ceilOut(W, l, rr, k[1], s[1]);
      if (ceilH !== r.outH || ceilW !== r.outW)
        throw new NodeError('F8E102', `attribute ceil_mode = 1 gives a ${ceilH}x${ceilW} output here instead of ${r.outH}x${r.outW}; f8c pools round down (pad the input or change the window)`);
    }
    const attrs: Record<string, unknown> = { kernel: k, strides: s, padding: pad };
    if (op === 'avg_pool') attrs.count_include_pad = attrNum(n, 'count_include_pad', 0) === 1;
    c.add({ name: n.name, op, inputs: [n.inputs[0]!], output: n.outputs[0]!, attrs }, [1, r.outH, r.outW, C]);
  };
}

function flattenTo(c: ConvertCtx, n: OnnxNode, x: string): void {
  const xs = c.shape(x);
  if (xs.length === 2) return void c.alias.set(n.outputs[0]!, c.root(x));
  const [H, W, C] = nhwcOf(xs);
  c.add({ name: n.name, op: 'flatten', inputs: [x], output: n.outputs[0]!, attrs: {} }, [1, H * W * C]);
  if (H * W > 1 && C > 1) c.chw.set(n.outputs[0]!, [C, H, W]);
}

const flatten: Conv = (c, n) => {
  const rank = c.shape(n.inputs[0]!).length;
  const a0 = attrNum(n, 'axis', 1);
  const ax = a0 < 0 ? a0 + rank : a0;
  if (ax !== 1) throw new NodeError('F8E102', `Flatten with axis = ${a0} (only axis 1, keeping the batch)`);
  flattenTo(c, n, n.inputs[0]!);
};

const reshape: Conv = (c, n) => {
  const xs = c.shape(n.inputs[0]!);
  c.noFlattenedMap(n.inputs[0]!, 'Reshape');
  const onnxIn = xs.length === 4 ? [1, xs[3]!, xs[1]!, xs[2]!] : xs;
  const raw = Array.from(c.constOf(n.inputs[1]!, 'the target shape').data);
  if (attrNum(n, 'allowzero', 0) === 1 && raw.includes(0)) throw new NodeError('F8E102', `attribute allowzero = 1 with a 0 in the target shape [${raw}] (an empty tensor)`);
  const want = raw.map((d, i) => (d === 0 ? onnxIn[i]! : d));
  const known = want.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const shape = want.map((d) => (d === -1 ? numel(xs) / known : d));
  if (shape[0] !== 1) throw new NodeError('F8E102', `Reshape to [${want}] does not keep batch 1`);
  if (xs.length === 4 && shape.length === 2) return flattenTo(c, n, n.inputs[0]!);
  if (xs.length === 4 || shape.length === 4) {
    if (shape.length === xs.length && shape.every((d, i) => d === onnxIn[i])) return void c.alias.set(n.outputs[0]!, c.root(n.inputs[0]!));
    throw new NodeError('F8E102', `Reshape [${onnxIn}] -> [${shape}] would reorder NCHW data; only flattening a feature map is supported`);
  }
  c.add({ name: n.name, op: 'reshape', inputs: [n.inputs[0]!], output: n.outputs[0]!, attrs: { shape } }, shape);
};

/** ONNX axis of a rank-4 NCHW tensor -> f8c NHWC axis. */
const NCHW_TO_NHWC = [0, 3, 1, 2];

const concat: Conv = (c, n) => {
  const shapes = n.inputs.map((i) => c.shape(i));
  n.inputs.forEach((i) => c.noFlattenedMap(i, 'Concat'));
  const rank = shapes[0]!.length;
  let ax = attrNum(n, 'axis', 1);
  if (ax < 0) ax += rank;
  if (rank === 4) ax = NCHW_TO_NHWC[ax]!;
  if (ax === 0) throw new NodeError('F8E102', 'Concat along the batch axis');
  const out = [...shapes[0]!];
  out[ax] = shapes.reduce((a, s) => a + s[ax]!, 0);
  c.add({ name: n.name, op: 'concat', inputs: [...n.inputs], output: n.outputs[0]!, attrs: { axis: ax } }, out);
};

const pad: Conv = (c, n) => {
  const xs = c.shape(n.inputs[0]!);
  c.noFlattenedMap(n.inputs[0]!, 'Pad');
  if (attrStr(n, 'mode', 'constant') !== 'constant') throw new NodeError('F8E102', `Pad mode '${attrStr(n, 'mode', '')}' (only constant)`);
  if (n.inputs[3]) throw new NodeError('F8E102', "the 'axes' input of Pad is not supported (give pads for every axis)");
  const p = n.inputs[1] ? Array.from(c.constOf(n.inputs[1], 'pads').data) : attrInts(n, 'pads', [])!;
  const vt = c.optConst(n.inputs[2]);
  const value = vt ? vt.data[0]! : attrNum(n, 'value', 0);
  const r = xs.length;
  if (p.length !== 2 * r || p.some((v) => v < 0)) throw new NodeError('F8E102', `pads [${p}] (needs ${2 * r} non-negative entries)`);
  const order = r === 4 ? [0, 2, 3, 1] : [...Array(r).keys()];
  const pairs = order.map((d) => [p[d]!, p[d + r]!] as [number, number]);
  if (pairs[0]![0] || pairs[0]![1]) throw new NodeError('F8E102', 'padding the batch axis');
  c.add({ name: n.name, op: 'pad', inputs: [n.inputs[0]!], output: n.outputs[0]!, attrs: { pads: pairs, value } }, xs.map((d, i) => d + pairs[i]![0] + pairs[i]![1]));
};

function unary(op: FNode['op'], attrs: (c: ConvertCtx, n: OnnxNode) => Record<string, unknown> = () => ({})): Conv {
  return (c, n) => {
    if (op !== 'relu' && op !== 'clip') c.noFlattenedMap(n.inputs[0]!, n.op);
    c.add({ name: n.name, op, inputs: [n.inputs[0]!], output: n.outputs[0]!, attrs: attrs(c, n) }, [...c.shape(n.inputs[0]!)]);
  };
}

const clipAttrs = (c: ConvertCtx, n: OnnxNode) => {
  const lo = c.optConst(n.inputs[1]);
  const hi = c.optConst(n.inputs[2]);
  if ((n.inputs[1] && !lo) || (n.inputs[2] && !hi)) throw new NodeError('F8E102', 'Clip bounds must be constants');
  return { min: lo ? lo.data[0]! : attrNum(n, 'min', -Infinity), max: hi ? hi.data[0]! : attrNum(n, 'max', Infinity) };
};

const softmaxAttrs = (c: ConvertCtx, n: OnnxNode) => {
  const xs = c.shape(n.inputs[0]!);
  const r = xs.length;
  const ax = attrNum(n, 'axis', c.model.opset >= 13 ? -1 : 1);
  const a = ax < 0 ? ax + r : ax;
  // Opset 13: over one axis. Before: over all axes from `axis` on (the input coerced to 2-D).
  const spatial = r === 4 ? xs[1]! * xs[2]! : 1;
  const ok = r === 4 ? a === 1 && (c.model.opset >= 13 || spatial === 1) : a === r - 1;
  if (!ok)
    throw new NodeError('F8E102', `attribute axis = ${ax} (opset ${c.model.opset}) takes the softmax over ${c.model.opset >= 13 ? `axis ${a}` : `axes ${a}..${r - 1}`} of [${r === 4 ? [1, xs[3], xs[1], xs[2]] : xs}]; f8c's softmax is over the channels (NCHW axis 1) or the last axis of a [1, K] tensor`);
  return {};
};

const addNode: Conv = (c, n) => {
  const [a, b] = n.inputs as [string, string];
  if (c.isConst(a) || c.isConst(b)) {
    // MatMul + Add(bias) as exported for Linear layers.
    const [x, k] = c.isConst(a) ? [b, a] : [a, b];
    const p = c.g.nodes.find((m) => m.output === c.root(x));
    if (!p || p.op !== 'dense' || p.b || p.bq || (c.uses.get(x) ?? 0) > 1) throw new NodeError('F8E102', 'Add of a constant is supported only as the bias of a MatMul');
    const bb = biasOf(c, k);
    if (bb.b && bb.b.length === 1) bb.b = new Float64Array(p.wShape![0]!).fill(bb.b[0]!);
    Object.assign(p, bb);
    p.output = n.outputs[0]!;
    c.g.shapes.set(p.output, c.g.shapes.get(c.root(x))!);
    return;
  }
  const [sa, sb] = [c.shape(a), c.shape(b)];
  if (sa.length !== sb.length || sa.some((d, i) => d !== sb[i])) throw new NodeError('F8E102', `Add of shapes [${sa}] and [${sb}] (no broadcasting)`);
  n.inputs.forEach((i) => c.noFlattenedMap(i, 'Add'));
  c.add({ name: n.name, op: 'add', inputs: [a, b], output: n.outputs[0]!, attrs: {} }, [...sa]);
};

export const CONVERTERS: Record<string, Conv> = {
  Conv: conv,
  Gemm: gemm,
  MatMul: matmul,
  BatchNormalization: batchnorm,
  Relu: unary('relu'),
  Clip: unary('clip', clipAttrs),
  MaxPool: poolNode('max_pool'),
  AveragePool: poolNode('avg_pool'),
  GlobalAveragePool: (c, n) => {
    const xs = c.shape(n.inputs[0]!);
    c.add({ name: n.name, op: 'global_avg_pool', inputs: [n.inputs[0]!], output: n.outputs[0]!, attrs: {} }, [1, 1, 1, xs[3]!]);
  },
  Add: addNode,
  Flatten: flatten,
  Reshape: reshape,
  Concat: concat,
  Pad: pad,
  Softmax: unary('softmax', softmaxAttrs),
  Sigmoid: unary('sigmoid'),
  Tanh: unary('tanh'),
};
