/**
 * Grids of the data-movement and table ops: concat (one to three inputs,
 * every non-batch axis), pad, reshape, flatten, softmax and the two pocket
 * activations, over dtypes, FL changes in both directions, rounding modes,
 * narrowed ranges and clamps.
 */
import { GraphBuilder } from '../../src/ir/builder.js';
import type { Graph } from '../../src/ir/types.js';
import { clampFor, DTYPES, fmt, pick } from './grid-util.js';

export function concatGrid(): Graph[] {
  const out: Graph[] = [];
  let i = 0;
  const cases: { base: number[]; axes: number[] }[] = [
    { base: [1, 3, 4, 2], axes: [-1, 1, 2, 3] },
    { base: [1, 5], axes: [1, -1] },
    { base: [1, 2, 6], axes: [1, 2] },
  ];
  for (const { base, axes } of cases)
    for (const axis of axes)
      for (const n of [1, 2, 3])
        for (const fo of [2, 5]) {
          const { rounding, odt, narrow } = pick(i);
          const b = new GraphBuilder(`cat${i}`);
          const a = axis < 0 ? axis + base.length : axis;
          const xs = Array.from({ length: n }, (_, k) => {
            const shape = base.map((d, j) => (j === a ? d + k : d));
            // Inputs above, at and below the output FL; signedness alternates.
            return b.input(`x${k}`, shape, fmt(DTYPES[(i + k) % 2]!, fo + [3, 0, -2][k]!, (i + k) % 6 === 4));
          });
          b.output(b.layer('cat', 'concat', xs, { name: 'y', ...fmt(odt, fo, narrow) }, { axis }, { rounding, ...(i % 5 === 2 ? { clamp: clampFor(odt) } : {}) }));
          out.push(b.build());
          i++;
        }
  return out;
}

export function padGrid(): Graph[] {
  const out: Graph[] = [];
  let i = 0;
  const shapes: { shape: number[]; pads: [number, number][][] }[] = [
    { shape: [1, 3, 4, 2], pads: [[[0, 0], [1, 1], [1, 1], [0, 0]], [[0, 0], [0, 2], [1, 0], [1, 3]], [[0, 0], [0, 0], [0, 0], [0, 0]]] },
    { shape: [1, 5], pads: [[[0, 0], [2, 3]], [[0, 0], [0, 1]]] },
    { shape: [1, 2, 3], pads: [[[0, 0], [1, 0], [2, 2]]] },
  ];
  for (const { shape, pads } of shapes)
    for (const p of pads)
      for (const di of DTYPES)
        for (const [fi, fo] of [[6, 3], [1, 4], [3, 3]] as const) {
          const { rounding, odt, narrow } = pick(i);
          const b = new GraphBuilder(`pad${i}`);
          const x = b.input('x', shape, fmt(di, fi, i % 7 === 3));
          const of = fmt(odt, fo, narrow);
          // The border constant in output units: 0, a negative, a positive or the range's end.
          const lo = of.qmin ?? (odt === 'int8' ? -128 : 0);
          const hi = of.qmax ?? (odt === 'int8' ? 127 : 255);
          const q = Math.min(hi, Math.max(lo, [0, odt === 'int8' ? -3 : 7, 11, hi, lo][i % 5]!));
          const clamp = i % 6 === 5 ? clampFor(odt) : undefined;
          b.output(b.layer('pad', 'pad', [x], { name: 'y', ...of }, { pads: p, value: q / 2 ** fo }, { rounding, ...(clamp ? { clamp } : {}) }));
          out.push(b.build());
          i++;
        }
  return out;
}

/** reshape and flatten: same format in and out (F8E045), bytes unchanged. */
export function moveGrid(op: 'reshape' | 'flatten'): Graph[] {
  const out: Graph[] = [];
  let i = 0;
  const reshapes: [number[], number[]][] = [
    [[1, 4, 3, 2], [1, -1]],
    [[1, 24], [1, 2, 3, 4]],
    [[1, 6, 4], [1, 3, -1]],
    [[1, 1], [1, 1, 1, 1]],
  ];
  const flattens = [[1, 2, 3, 4], [1, 5], [1, 1, 1, 7], [1, 3, 2]];
  for (const dt of DTYPES)
    for (const narrow of [false, true])
      for (let k = 0; k < 4; k++) {
        const b = new GraphBuilder(`${op}${i}`);
        const f = fmt(dt, [7, -2, 0, 12][k]!, narrow);
        const x = b.input('x', op === 'reshape' ? reshapes[k]![0] : flattens[k]!, f);
        const attrs = op === 'reshape' ? { shape: reshapes[k]![1] } : {};
        b.output(b.layer(op, op, [x], { name: 'y', ...f }, attrs));
        out.push(b.build());
        i++;
      }
  return out;
}

export function softmaxGrid(): Graph[] {
  const out: Graph[] = [];
  let i = 0;
  for (const shape of [[1, 10], [1, 1], [1, 2, 2, 5], [1, 3, 17]])
    for (const di of DTYPES)
      for (const fi of [0, 7])
        for (const fo of [0, 7, 15]) {
          const { rounding, odt, narrow } = pick(i);
          const b = new GraphBuilder(`softmax${i}`);
          const x = b.input('x', shape, fmt(di, fi, i % 7 === 6));
          b.output(b.layer('sm', 'softmax', [x], { name: 'y', ...fmt(odt, fo, narrow) }, {}, { rounding, ...(i % 8 === 3 ? { clamp: clampFor(odt) } : {}) }));
          out.push(b.build());
          i++;
        }
  return out;
}

export function pocketGrid(): Graph[] {
  const out: Graph[] = [];
  let i = 0;
  for (const op of ['pocket_sigmoid', 'pocket_tanh'] as const)
    for (const shape of [[1, 13], [1, 2, 3, 4]])
      for (const di of DTYPES)
        // Input FL below, at and above the kernel's FL (5 for sigmoid, 6 for tanh).
        for (const fi of [3, 5, 6, 12]) {
          const { rounding } = pick(i);
          const b = new GraphBuilder(`pocket${i}`);
          const x = b.input('x', shape, fmt(di, fi, i % 7 === 2));
          const o = i % 5 === 1 ? { dtype: 'int8' as const, fl: 7, qmin: -90, qmax: 100 } : { dtype: 'int8' as const, fl: 7 };
          b.output(b.layer('pk', op, [x], { name: 'y', ...o }, {}, { rounding, ...(i % 6 === 4 ? { clamp: { lo: -50, hi: 60 } } : {}) }));
          out.push(b.build());
          i++;
        }
  return out;
}
