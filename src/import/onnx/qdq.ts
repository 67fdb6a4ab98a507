/**
 * Exact import of a QDQ model with power-of-two scales and zero points 0:
 * activation formats from the QuantizeLinear of each tensor (full range of
 * its type, e.g. [-128, 127] for int8; rounding half to even, as
 * QuantizeLinear), weights and biases from the DequantizeLinear initialisers
 * bit for bit. A bias at a finer FL than FL_x + FL_w cannot be represented
 * exactly and is an error; a coarser one is shifted left exactly.
 */
import { DiagnosticBag } from '../../diag/diagnostic.js';
import type { Graph } from '../../ir/types.js';
import { buildGraph, type IntConst, type Quantised } from './build.js';
import { isPassThrough, type ActFormat, type FGraph, type FNode } from './fgraph.js';

const flAt = (fl: number | number[], i: number) => (typeof fl === 'number' ? fl : fl[i]!);

function bias(n: FNode, flx: number, w: IntConst, diags: DiagnosticBag): IntConst | undefined {
  const cout = n.wShape![0]!;
  const perCh = typeof w.fl !== 'number';
  const fl = perCh ? Array.from({ length: cout }, (_, c) => flx + flAt(w.fl, c)) : flx + (w.fl as number);
  if (!n.bq && !n.b) return undefined;
  if (n.b) {
    diags.error('F8E102', `node '${n.name}': the bias is float, not a DequantizeLinear of int32; it cannot be imported exactly`, { layer: n.name });
    return undefined;
  }
  const q = new Int32Array(cout);
  for (let c = 0; c < cout; c++) {
    const d = flAt(fl, c) - flAt(n.bq!.fl, c);
    const v = n.bq!.q[c]! * 2 ** d;
    if (d < 0 || !Number.isSafeInteger(v) || Math.abs(v) > 2 ** 31 - 1) {
      diags.error('F8E102', `node '${n.name}': bias channel ${c} at FL ${flAt(n.bq!.fl, c)} cannot be represented exactly at FL_x + FL_w = ${flAt(fl, c)}`, { layer: n.name });
      return undefined;
    }
    q[c] = v;
  }
  return { q, fl };
}

export function quantiseQdq(fg: FGraph, diags: DiagnosticBag): Quantised {
  const formats = new Map<string, ActFormat>();
  const weights = new Map<string, IntConst>();
  const biases = new Map<string, IntConst>();
  const need = (t: string, who: string): ActFormat | undefined => {
    const f = formats.get(t) ?? fg.formats.get(t);
    if (!f) diags.error('F8E102', `tensor '${t}' (${who}) has no QuantizeLinear, so its format is unknown; every activation of a QDQ model must be quantised`, { field: t });
    return f;
  };
  for (const i of fg.inputs) {
    const f = need(i, 'model input');
    if (f) formats.set(i, f);
  }
  for (const n of fg.nodes) {
    const fin = formats.get(n.inputs[0]!);
    const own = fg.formats.get(n.output);
    if (isPassThrough(n) && fin && (!own || n.op !== 'max_pool')) {
      if (own && (own.fl !== fin.fl || own.dtype !== fin.dtype)) diags.error('F8E102', `node '${n.name}' (${n.op}) must keep its input's format`, { layer: n.name });
      formats.set(n.output, fin);
    } else {
      const f = need(n.output, `output of '${n.name}'`);
      if (f) formats.set(n.output, f);
    }
    if ((n.op === 'sigmoid' || n.op === 'tanh') && !diags.hasErrors())
      diags.error('F8E102', `node '${n.name}': ${n.op} is approximated by PocketNN's piecewise-linear function, so a QDQ model with it cannot be imported exactly`, { layer: n.name });
    if (n.op === 'conv2d' || n.op === 'dense') {
      if (!n.wq) {
        diags.error('F8E102', `node '${n.name}': the weight is float, not a DequantizeLinear of int8`, { layer: n.name });
        continue;
      }
      if (n.wq.q.some((v) => v < -128 || v > 127)) diags.error('F8E102', `node '${n.name}': weights must be int8`, { layer: n.name });
      weights.set(n.name, { q: Int8Array.from(n.wq.q), fl: n.wq.fl });
      const b = fin ? bias(n, fin.fl, weights.get(n.name)!, diags) : undefined;
      if (b) biases.set(n.name, b);
    }
  }
  diags.throwIfErrors();
  return { formats, weights, biases };
}

export function importQdq(fg: FGraph, diags: DiagnosticBag): Graph {
  return buildGraph(fg, quantiseQdq(fg, diags));
}
