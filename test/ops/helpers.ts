/** Shared pieces of the op tests. */
import { runGraph } from '../../src/interp/interpreter.js';
import { opCtx } from '../../src/ops/context.js';
import { getOp } from '../../src/ops/registry.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import type { Graph, Layer } from '../../src/ir/types.js';

/** The codes a layer's inferShape and (if that succeeds) checkFormats report. */
export function problems(g: Graph, layer: Layer = g.layers[0]!): string[] {
  const codes: string[] = [];
  const ctx = opCtx(g, layer, (code) => void codes.push(code));
  const op = getOp(layer.op);
  if (op.inferShape(ctx)) op.checkFormats(ctx);
  return codes;
}

/** Runs a graph with one input 'x' and returns output 'y'. */
export function runXY(g: Graph, x: number[]): number[] {
  return Array.from(runGraph(g, trivialPlan(g), new Map([['x', x]])).outputs.get('y')!);
}
