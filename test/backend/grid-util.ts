/** Shared pieces of the per-op backend grids (ops-*.test.ts). */
import { verifyOnHost, type VerifyItem } from '../../src/backend/c/verify.js';
import type { FormatSpec, GraphBuilder } from '../../src/ir/builder.js';
import { ROUNDINGS, type Clamp, type DType, type Graph, type OpKind, type Rounding } from '../../src/ir/types.js';
import { runPipeline } from '../../src/passes/index.js';
import { randomCases } from './util.js';

export const DTYPES: readonly DType[] = ['int8', 'uint8'];

/** An activation format; `narrow` gives a qmin/qmax strictly inside the dtype's range. */
export function fmt(dtype: DType, fl: number, narrow = false): FormatSpec {
  if (!narrow) return { dtype, fl };
  return dtype === 'int8' ? { dtype, fl, qmin: -100, qmax: 90 } : { dtype, fl, qmin: 5, qmax: 200 };
}

/** Per-graph variety from a running index: rounding mode, output dtype, narrowing, clamp. */
export function pick(i: number): { rounding: Rounding; odt: DType; narrow: boolean } {
  return { rounding: ROUNDINGS[i % 3]!, odt: DTYPES[Math.floor(i / 3) % 2]!, narrow: i % 5 === 3 };
}

/** A clamp inside an output dtype's range (as a fused activation would leave it). */
export function clampFor(dt: DType): Clamp {
  return dt === 'int8' ? { lo: -20, hi: 70 } : { lo: 9, hi: 150 };
}

/**
 * Appends activation `act` (relu, relu6 or clip) at the same FL and dtype as
 * `y`, so that the fuse pass folds it into y's producer (if that op is fusable).
 */
export function addActivation(b: GraphBuilder, y: string, act: 'relu' | 'relu6' | 'clip', f: FormatSpec): string {
  const attrs = act === 'clip' ? { min: -1.25, max: 1.5 } : {};
  return b.layer(`${act}_of_${y}`, act as OpKind, [y], { ...f, name: `${y}_act` }, attrs);
}

/** Runs the front-end passes (validate, order, fuse) on every graph. */
export function piped(graphs: Graph[]): Graph[] {
  return graphs.map((g) => runPipeline(g));
}

export function items(graphs: Graph[], seed: number): VerifyItem[] {
  return graphs.map((graph, i) => ({ graph, cases: randomCases(graph, 3, seed + i), options: { prefix: `g${i}` } }));
}

/** Strict and sanitizer builds of all graphs in one harness each; returns what went wrong (empty = bit-exact). */
export async function verifyGrid(graphs: Graph[], seed: number): Promise<string[]> {
  const r = await verifyOnHost(items(graphs, seed));
  const bad = r.builds.flatMap((b) => [b.compileLog ?? '', b.runError ?? '', ...b.mismatches.slice(0, 3).map((m) => `${b.build}: ${JSON.stringify(m)}`)]).filter(Boolean);
  if (!r.ok && bad.length === 0) bad.push('verify failed without a message');
  if (r.outputBytes < graphs.length) bad.push(`only ${r.outputBytes} output bytes compared`);
  return bad;
}
