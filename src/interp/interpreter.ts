/**
 * The bit-exact reference interpreter. It runs the layers of a checked,
 * ordered graph inside one byte array, at the offsets of a memory plan, so
 * that it computes exactly what the generated C computes in its arena.
 */
import { getTensor, numel, type Graph, type Tensor } from '../ir/types.js';
import { getOp } from '../ops/registry.js';
import { outputBounds } from '../ops/context.js';
import type { ActView } from '../ops/opdef.js';
import type { MemoryPlan } from '../plan/types.js';

export type ActArray = Int8Array | Uint8Array | Int16Array;

export interface RunResult {
  outputs: Map<string, ActArray>;
  /** Every layer's outputs (copies), when asked for with `trace`. */
  trace?: Map<string, ActArray>;
}

export function viewOf(arena: Uint8Array, t: Tensor, offset: number): ActArray {
  const n = numel(t.shape);
  const byteOffset = arena.byteOffset + offset;
  switch (t.dtype) {
    case 'int8':
      return new Int8Array(arena.buffer, byteOffset, n);
    case 'uint8':
      return new Uint8Array(arena.buffer, byteOffset, n);
    case 'int16':
      return new Int16Array(arena.buffer, byteOffset, n);
    default:
      throw new Error(`internal: activation '${t.name}' has dtype ${t.dtype}`);
  }
}

function regionOf(plan: MemoryPlan, name: string) {
  const r = plan.tensors.get(name);
  if (!r) throw new Error(`internal: tensor '${name}' has no place in the memory plan`);
  return r;
}

/**
 * Runs one item. `inputs` maps each model input to its quantised elements
 * (NHWC, the input's dtype). The arena may be passed in to inspect it after.
 */
export function runGraph(
  g: Graph,
  plan: MemoryPlan,
  inputs: Map<string, ArrayLike<number>>,
  opts: { trace?: boolean; arena?: Uint8Array } = {},
): RunResult {
  const arena = opts.arena ?? new Uint8Array(plan.arenaSize);
  if (arena.length < plan.arenaSize) throw new Error('internal: arena smaller than the plan');
  const act = (name: string): ActView => {
    const t = getTensor(g, name);
    return { tensor: t, data: viewOf(arena, t, regionOf(plan, name).offset) };
  };
  for (const name of g.inputs) {
    const src = inputs.get(name);
    const v = act(name);
    if (!src || src.length !== v.data.length) throw new Error(`internal: input '${name}' missing or of wrong length`);
    v.data.set(src);
  }
  const trace = opts.trace ? new Map<string, ActArray>() : undefined;
  for (const layer of g.layers) {
    const op = getOp(layer.op);
    const acts: ActView[] = [];
    const consts: (Tensor | undefined)[] = [];
    layer.inputs.forEach((name) => {
      const t = getTensor(g, name);
      if (t.data) consts.push(t);
      else acts.push(act(name));
    });
    const outs = layer.outputs.map(act);
    const s = plan.scratch.get(layer.name);
    const scratch = s ? arena.subarray(s.offset, s.offset + s.size) : new Uint8Array(0);
    op.eval({ graph: g, layer, acts, consts, outs, scratch, bounds: outputBounds(layer, outs[0]!.tensor) });
    if (trace) for (const o of outs) trace.set(o.tensor.name, o.data.slice());
  }
  const outputs = new Map<string, ActArray>();
  for (const name of g.outputs) outputs.set(name, act(name).data.slice());
  return { outputs, trace };
}
