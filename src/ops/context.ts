/** Builds the context the static hooks of an OpDef receive. */
import { getTensor, type Clamp, type Graph, type Layer, type Tensor } from '../ir/types.js';
import type { DiagCode } from '../diag/codes.js';
import type { OpCtx } from './opdef.js';

export type Reporter = (code: DiagCode, message: string, field?: string, severity?: 'error' | 'warning' | 'note') => void;

const internalReporter: Reporter = (code, message) => {
  throw new Error(`internal: unexpected diagnostic ${code} on a checked graph: ${message}`);
};

/** With no reporter, any report is a bug (the graph was checked at load time). */
export function opCtx(g: Graph, layer: Layer, report: Reporter = internalReporter): OpCtx<any> {
  return {
    graph: g,
    layer,
    inputs: layer.inputs.map((n) => getTensor(g, n)),
    outputs: layer.outputs.map((n) => getTensor(g, n)),
    report,
  };
}

/** The output range of a layer: [qmin, qmax] of its output intersected with its clamp. */
export function outputBounds(layer: Layer, out: Tensor): Clamp {
  const { qmin, qmax } = out.quant;
  if (!layer.clamp) return { lo: qmin, hi: qmax };
  return { lo: Math.max(qmin, Math.min(layer.clamp.lo, qmax)), hi: Math.min(qmax, Math.max(layer.clamp.hi, qmin)) };
}
