/**
 * Grids of add, the standalone activations and the pools: each graph is
 * one op (plus, for fusable ops, sometimes an activation the fuse pass
 * folds into it), over shapes, attributes, dtypes, FL changes in both
 * directions, rounding modes, narrowed ranges and clamps.
 */
import { GraphBuilder } from '../../src/ir/builder.js';
import type { DType, Graph } from '../../src/ir/types.js';
import { addActivation, clampFor, DTYPES, fmt, pick } from './grid-util.js';

const ACTS = ['relu', 'relu6', 'clip'] as const;

export function addGrid(): Graph[] {
  const out: Graph[] = [];
  let i = 0;
  for (const shape of [[1, 7], [1, 3, 4, 5]])
    for (const da of DTYPES)
      for (const db of DTYPES)
        for (const [fa, fb, fo] of [[4, 4, 4], [6, 2, -1], [1, 7, 9]] as const) {
          const { rounding, odt, narrow } = pick(i);
          const b = new GraphBuilder(`add${i}`);
          const a = b.input('a', shape, fmt(da, fa, i % 7 === 2));
          const c = b.input('b', shape, fmt(db, fb));
          const of = fmt(odt, fo, narrow);
          let y = b.layer('add', 'add', [a, c], { name: 'y', ...of }, {}, { rounding, ...(i % 4 === 1 ? { clamp: clampFor(odt) } : {}) });
          if (i % 3 === 2) y = addActivation(b, y, ACTS[i % 9 === 2 ? 0 : i % 9 === 5 ? 1 : 2]!, of);
          b.output(y);
          out.push(b.build());
          i++;
        }
  return out;
}

/** relu, relu6 and clip as layers of their own (input is a model input, so nothing fuses). */
export function activationGrid(): Graph[] {
  const out: Graph[] = [];
  let i = 0;
  const clips = [{ min: -1.5, max: 2.25 }, { min: 0.25, max: 3 }, { min: -100, max: 0.5 }];
  for (const act of ACTS)
    for (const shape of [[1, 9], [1, 4, 3, 5]])
      for (const di of DTYPES)
        for (const [fi, fo] of [[5, 3], [2, 6], [4, 4], [0, 1]] as const) {
          const { rounding, odt, narrow } = pick(i);
          const b = new GraphBuilder(`act${i}`);
          const x = b.input('x', shape, fmt(di, fi, i % 7 === 4));
          const attrs = act === 'clip' ? clips[i % 3]! : {};
          b.output(b.layer('act', act, [x], { name: 'y', ...fmt(odt, fo, narrow) }, attrs, { rounding, ...(i % 4 === 1 ? { clamp: clampFor(odt) } : {}) }));
          out.push(b.build());
          i++;
        }
  return out;
}

function poolGraph(i: number, op: 'max_pool' | 'avg_pool', dt: DType, kernel: [number, number], strides: [number, number], padding: unknown, cip: boolean): Graph {
  const { rounding, odt, narrow } = pick(i);
  const b = new GraphBuilder(`pool${i}`);
  const [H, W, C] = i % 2 ? [5, 6, 3] : [4, 4, 1];
  const fi = 2 + (i % 5);
  // FL_out above and below FL_in (avg_pool multiplies by 2^(FL_out - FL_in) before dividing).
  const fo = fi + [-3, 0, 2, 5][i % 4]!;
  const x = b.input('x', [1, H, W, C], fmt(dt, fi, i % 7 === 1));
  const of = fmt(odt, fo, narrow);
  const attrs = { kernel, strides, padding, ...(op === 'avg_pool' ? { count_include_pad: cip } : {}) };
  let y = b.layer('pool', op, [x], { name: 'y', ...of }, attrs, { rounding, ...(i % 6 === 1 ? { clamp: clampFor(odt) } : {}) });
  if (i % 4 === 3) y = addActivation(b, y, ACTS[i % 3]!, of);
  b.output(y);
  return b.build();
}

export function poolGrid(op: 'max_pool' | 'avg_pool'): Graph[] {
  const out: Graph[] = [];
  let i = op === 'avg_pool' ? 1 : 0;
  for (const dt of DTYPES)
    for (const kernel of [[2, 2], [3, 2], [1, 1]] as [number, number][])
      for (const strides of [[1, 1], [2, 1]] as [number, number][])
        for (const padding of ['valid', 'same', 'explicit'] as const)
          for (const cip of op === 'avg_pool' ? [false, true] : [false]) {
            // Explicit pads must be smaller than the kernel in each dimension.
            const pads = padding !== 'explicit' ? padding : kernel[0] === 1 ? [0, 0, 0, 0] : [1, 0, 2, 1].map((p, k) => Math.min(p, kernel[k % 2]! - 1));
            out.push(poolGraph(i, op, dt, kernel, strides, pads, cip));
            i++;
          }
  return out;
}

export function globalAvgPoolGrid(): Graph[] {
  const out: Graph[] = [];
  let i = 0;
  for (const [H, W] of [[1, 1], [3, 5], [8, 8]])
    for (const C of [1, 6])
      for (const dt of DTYPES)
        for (const k of [-3, 0, 2, 5]) {
          const { rounding, odt, narrow } = pick(i);
          const b = new GraphBuilder(`gap${i}`);
          const fi = 3 + (i % 3);
          const x = b.input('x', [1, H, W, C], fmt(dt, fi, i % 7 === 5));
          const of = fmt(odt, fi + k, narrow);
          let y = b.layer('gap', 'global_avg_pool', [x], { name: 'y', ...of }, {}, { rounding, ...(i % 5 === 1 ? { clamp: clampFor(odt) } : {}) });
          if (i % 4 === 2) y = addActivation(b, y, ACTS[i % 3]!, of);
          b.output(y);
          out.push(b.build());
          i++;
        }
  return out;
}
