/**
 * F8Net post-training quantisation of a float FGraph.
 *
 * - Weights: FL = floor(log2(40 / std)) over the layer's weights (per layer,
 *   the F8Net default) or over each output channel's (per channel); q =
 *   clamp(round_half_even(w * 2^FL), -127, 127). Bias int32 at FL_x + FL_w.
 * - Activations: statistics over the calibration set; unsigned (uint8) when
 *   the tensor is never negative, FL = floor(log2(70 / std)), else int8 with
 *   FL = floor(log2(40 / std)). Outputs of pass-through ops (flatten,
 *   reshape, max_pool) share their input's format. Softmax outputs are uint8
 *   FL 8; sigmoid/tanh (PocketNN) int8 FL 7.
 * - Every FL is clamped to f8c's range [FL_MIN, FL_MAX] (docs/model-format.md).
 * - Refinement: in graph order, each activation FL and then each layer's
 *   weight FL is tried at FL - 1 and FL + 1 and kept where it lowers the
 *   squared error of the model outputs against the float model on the
 *   refinement items (a subset of the calibration set).
 * - Residual adds align operands by f8c's add itself (exact shifts);
 *   fused ReLU6/clips become the output format's saturation (./build.ts).
 */
import { UserError } from '../../diag/diagnostic.js';
import { FL_MAX, FL_MIN, type Graph } from '../../ir/types.js';
import { runGraph } from '../../interp/interpreter.js';
import { runPipeline } from '../../passes/index.js';
import { trivialPlan } from '../../plan/trivial.js';
import { dequantizeValue, quantizeValue, roundHalfEven } from '../../util/quantize.js';
import { buildGraph, type IntConst, type Quantised } from './build.js';
import { evalFloat } from './feval.js';
import { isPassThrough, type ActFormat, type FGraph, type FNode } from './fgraph.js';

export interface PtqOptions {
  perChannel?: boolean;
  /** Items used for refinement (default 128); 0 disables refinement. */
  refineItems?: number;
  /** Items used for statistics (default 1000). */
  statItems?: number;
}

export interface PtqResult {
  graph: Graph;
  /** Relative output error (squared error / squared float output) on the refinement items, before and after refinement. */
  errorBefore: number;
  errorAfter: number;
  /** Top-1 agreement with the float model on the refinement items. */
  agreement: number;
  changes: string[];
}

type Item = Map<string, ArrayLike<number>>;
const clampFl = (fl: number) => Math.min(FL_MAX, Math.max(FL_MIN, fl));
/**
 * F8Net's FL from the standard deviation; a tensor that is constant over
 * the calibration set (std ~ 0, e.g. all-equal weights) takes the finest FL
 * at which its value fits qmax instead (the std rule would give FL_MAX and
 * saturate it to a fraction of its value).
 */
const flFromStd = (std: number, c: number, mean = 0, qmax = 127) =>
  clampFl(std > 1e-6 * Math.abs(mean) || mean === 0 ? Math.floor(Math.log2(c / Math.max(std, 1e-30))) : Math.floor(Math.log2(qmax / Math.abs(mean))));

function meanOf(v: ArrayLike<number>, from = 0, to = v.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += v[i]!;
  return s / Math.max(to - from, 1);
}

function stdOf(v: ArrayLike<number>, from = 0, to = v.length): number {
  let s = 0, s2 = 0;
  for (let i = from; i < to; i++) (s += v[i]!), (s2 += v[i]! * v[i]!);
  const n = to - from;
  return Math.sqrt(Math.max(s2 / n - (s / n) ** 2, 0));
}

function quantW(n: FNode, fl: number | number[]): IntConst {
  const cout = n.wShape![0]!;
  const per = n.w!.length / cout;
  const q = new Int8Array(n.w!.length);
  for (let i = 0; i < q.length; i++) {
    const f = typeof fl === 'number' ? fl : fl[Math.floor(i / per)]!;
    q[i] = Math.min(127, Math.max(-127, roundHalfEven(n.w![i]! * 2 ** f)));
  }
  return { q, fl };
}

function quantB(n: FNode, flx: number, flw: number | number[]): IntConst | undefined {
  if (!n.b) return undefined;
  const fl = typeof flw === 'number' ? flx + flw : flw.map((f) => flx + f);
  const q = Int32Array.from(n.b, (v, c) => Math.min(2 ** 31 - 1, Math.max(-(2 ** 31 - 1), roundHalfEven(v * 2 ** (typeof fl === 'number' ? fl : fl[c]!)))));
  return { q, fl };
}

export function ptq(fg: FGraph, calib: Item[], opts: PtqOptions = {}): PtqResult {
  const statItems = calib.slice(0, opts.statItems ?? 1000);
  const refine = calib.slice(0, opts.refineItems ?? 128);
  // Statistics.
  const acc = new Map<string, { s: number; s2: number; n: number; min: number }>();
  const floatOut: Map<string, Float64Array>[] = [];
  statItems.forEach((item, k) => {
    const vals = evalFloat(fg, item);
    if (k < refine.length) floatOut.push(new Map(fg.outputs.map((o) => [o, vals.get(o)!])));
    for (const [t, v] of vals) {
      const a = acc.get(t) ?? { s: 0, s2: 0, n: 0, min: Infinity };
      for (let i = 0; i < v.length; i++) (a.s += v[i]!), (a.s2 += v[i]! * v[i]!), (a.min = Math.min(a.min, v[i]!));
      a.n += v.length;
      acc.set(t, a);
    }
  });
  // Activation formats (base tensors; pass-through outputs share them).
  const producer = new Map(fg.nodes.map((n) => [n.output, n]));
  const base = new Map<string, string>();
  const fixed = new Set<string>();
  const fls = new Map<string, number>();
  const signedness = new Map<string, boolean>();
  const choose = (t: string) => {
    const a = acc.get(t)!;
    const p = producer.get(t);
    const unsigned = a.min >= 0 || (p?.act !== undefined && p.act.lo >= 0);
    signedness.set(t, !unsigned);
    fls.set(t, flFromStd(Math.sqrt(Math.max(a.s2 / a.n - (a.s / a.n) ** 2, 0)), unsigned ? 70 : 40, a.s / a.n, unsigned ? 255 : 127));
  };
  for (const i of fg.inputs) (base.set(i, i), choose(i));
  for (const n of fg.nodes) {
    if (isPassThrough(n)) base.set(n.output, base.get(n.inputs[0]!)!);
    else {
      base.set(n.output, n.output);
      choose(n.output);
      if (n.op === 'softmax') (fls.set(n.output, 8), signedness.set(n.output, false), fixed.add(n.output));
      if (n.op === 'sigmoid' || n.op === 'tanh') (fls.set(n.output, 7), signedness.set(n.output, true), fixed.add(n.output));
    }
  }
  // Weight formats.
  const wfl = new Map<string, number | number[]>();
  for (const n of fg.nodes) {
    if (!n.w) continue;
    const cout = n.wShape![0]!;
    const per = n.w.length / cout;
    wfl.set(n.name, opts.perChannel ? Array.from({ length: cout }, (_, c) => flFromStd(stdOf(n.w!, c * per, (c + 1) * per), 40, meanOf(n.w!, c * per, (c + 1) * per))) : flFromStd(stdOf(n.w), 40, meanOf(n.w)));
  }
  const build = (): Graph => {
    const formats = new Map<string, ActFormat>();
    for (const [t, b] of base) {
      const signed = signedness.get(b)!;
      formats.set(t, { dtype: signed ? 'int8' : 'uint8', fl: fls.get(b)!, qmin: signed ? -127 : 0, qmax: signed ? 127 : 255 });
    }
    const q: Quantised = { formats, weights: new Map(), biases: new Map() };
    for (const n of fg.nodes) {
      if (!n.w) continue;
      const w = quantW(n, wfl.get(n.name)!);
      q.weights.set(n.name, w);
      const b = quantB(n, formats.get(n.inputs[0]!)!.fl, w.fl);
      if (b) q.biases.set(n.name, b);
    }
    return buildGraph(fg, q);
  };
  const evaluate = (g: Graph): { err: number; agree: number } => {
    let checked: Graph;
    try {
      checked = runPipeline(g);
    } catch (e) {
      if (e instanceof UserError) return { err: Infinity, agree: 0 };
      throw e;
    }
    const plan = trivialPlan(checked);
    let se = 0, ss = 0, agree = 0;
    refine.forEach((item, k) => {
      const inputs = new Map(fg.inputs.map((name) => {
        const t = checked.tensors.get(name)!;
        return [name, Array.from(item.get(name)!, (v) => quantizeValue(v, t.quant))];
      }));
      const outs = runGraph(checked, plan, inputs).outputs;
      for (const o of fg.outputs) {
        const t = checked.tensors.get(o)!;
        const f = floatOut[k]!.get(o)!;
        const qv = Array.from(outs.get(o)!, (v) => dequantizeValue(v, t.quant));
        for (let i = 0; i < f.length; i++) (se += (qv[i]! - f[i]!) ** 2), (ss += f[i]! ** 2);
        if (argmax(qv) === argmax(f)) agree++;
      }
    });
    return { err: se / Math.max(ss, 1e-30), agree: agree / Math.max(refine.length * fg.outputs.length, 1) };
  };
  let best = evaluate(build());
  const errorBefore = best.err;
  const changes: string[] = [];
  if (refine.length > 0) {
    const tune = (label: string, get: () => number | number[], set: (v: number | number[]) => void) => {
      const orig = get();
      for (const d of [-1, 1]) {
        const cand = typeof orig === 'number' ? clampFl(orig + d) : orig.map((f) => clampFl(f + d));
        set(cand);
        const r = evaluate(build());
        if (r.err < best.err) {
          changes.push(`${label}: FL ${fmtFl(orig)} -> ${fmtFl(cand)} (error ${best.err.toExponential(3)} -> ${r.err.toExponential(3)})`);
          best = r;
          return;
        }
        set(orig);
      }
    };
    for (const [t, b] of base) if (t === b && !fixed.has(t)) tune(`activation '${t}'`, () => fls.get(t)!, (v) => fls.set(t, v as number));
    for (const n of fg.nodes) if (n.w) tune(`weight of '${n.name}'`, () => wfl.get(n.name)!, (v) => wfl.set(n.name, v));
  }
  return { graph: build(), errorBefore, errorAfter: best.err, agreement: best.agree, changes };
}

const fmtFl = (f: number | number[]) => (typeof f === 'number' ? String(f) : `[${f.join(',')}]`);

export function argmax(v: ArrayLike<number>): number {
  let b = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[b]!) b = i;
  return b;
}
