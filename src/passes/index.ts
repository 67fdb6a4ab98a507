/**
 * The front end's passes, in order. Each is a pure function of the graph;
 * after `validate` has reported errors the pipeline stops.
 */
import { DiagnosticBag } from '../diag/diagnostic.js';
import type { Graph } from '../ir/types.js';
import { HOST_TARGET, type KernelVariant, type TargetInfo } from '../ops/opdef.js';
import { fusePass } from './fuse.js';
import { orderPass } from './order.js';
import type { Pass, PassCtx } from './pass.js';
import { validatePass } from './validate.js';

export const PIPELINE: readonly Pass[] = [validatePass, orderPass, fusePass];

export interface FrontEndOptions {
  diags?: DiagnosticBag;
  target?: TargetInfo;
  variant?: KernelVariant;
  /** Skip passes by name (tests compare fused and unfused graphs). */
  skip?: string[];
}

/** Runs every pass in order; throws UserError once a pass has reported an error. */
export function runPipeline(g: Graph, opts: FrontEndOptions = {}): Graph {
  const ctx: PassCtx = { diags: opts.diags ?? new DiagnosticBag(g.source.file), target: opts.target ?? HOST_TARGET, variant: opts.variant ?? 'portable' };
  let cur = g;
  for (const pass of PIPELINE) {
    if (opts.skip?.includes(pass.name)) continue;
    cur = pass.run(cur, ctx);
    ctx.diags.throwIfErrors();
  }
  return cur;
}
