/**
 * A pass is a pure function from a graph to a graph. Passes report user
 * problems into `ctx.diags` and never mutate their input graph.
 */
import type { DiagnosticBag } from '../diag/diagnostic.js';
import type { Graph } from '../ir/types.js';
import type { KernelVariant, TargetInfo } from '../ops/opdef.js';

export interface PassCtx {
  diags: DiagnosticBag;
  target: TargetInfo;
  variant: KernelVariant;
}

export interface Pass {
  name: string;
  run(g: Graph, ctx: PassCtx): Graph;
}
