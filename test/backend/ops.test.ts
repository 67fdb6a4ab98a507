/**
 * Every op alone over a grid of attributes and formats, through the whole
 * backend (plan, emitter, runtime kernels, gcc), bit-exact with the
 * interpreter. Ops without a C lowering yet are listed as skipped.
 */
import { verifyOnHost, type VerifyItem } from '../../src/backend/c/verify.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import { ROUNDINGS, type DType, type Graph } from '../../src/ir/types.js';
import { getOp } from '../../src/ops/registry.js';
import { Rng } from '../../src/util/rng.js';
import { randomCases } from './util.js';

function conv2dGrid(): Graph[] {
  const rng = new Rng(5);
  const out: Graph[] = [];
  let i = 0;
  for (const dt of ['int8', 'uint8'] as DType[])
    for (const [kh, kw] of [[1, 1], [3, 3], [2, 3]] as const)
      for (const strides of [[1, 1], [2, 1]] as const)
        for (const dilations of [[1, 1], [2, 2]] as const)
          for (const padding of ['valid', 'same', [1, 0, 2, 1]] as const)
            for (const kind of ['dense', 'grouped', 'depthwise'] as const) {
              const b = new GraphBuilder(`conv${i}`);
              const cin = kind === 'dense' ? 3 : 4;
              const groups = kind === 'dense' ? 1 : kind === 'grouped' ? 2 : 4;
              const cout = kind === 'depthwise' ? 8 : 4;
              const x = b.input('x', [1, 7, 6, cin], { dtype: dt, fl: 6 });
              const perCh = i % 3 === 0;
              const wfl = perCh ? Array.from({ length: cout }, (_, c) => 5 + (c % 3)) : 7;
              const w = b.const('w', [cout, kh, kw, cin / groups], { fl: wfl }, rng.ints(cout * kh * kw * (cin / groups), -127, 127));
              const bias = b.const('b', [cout], { dtype: 'int32', fl: typeof wfl === 'number' ? 6 + wfl : wfl.map((f) => 6 + f) }, rng.ints(cout, -3000, 3000));
              const odt: DType = i % 2 ? 'int8' : 'uint8';
              const y = b.layer('conv', 'conv2d', [x, w, bias], { name: 'y', dtype: odt, fl: 2 + (i % 6) }, { strides, dilations, padding, groups }, {
                rounding: ROUNDINGS[i % 3]!,
                ...(i % 4 === 1 ? { clamp: { lo: odt === 'int8' ? -10 : 3, hi: 60 } } : {}),
              });
              b.output(y);
              i++;
              out.push(b.build());
            }
  return out;
}

function denseGrid(): Graph[] {
  const rng = new Rng(9);
  const out: Graph[] = [];
  let i = 0;
  for (const dt of ['int8', 'uint8'] as DType[])
    for (const [nin, nout] of [[1, 1], [7, 3], [16, 10], [33, 5]] as const)
      for (const perCh of [false, true])
        for (const withBias of [false, true])
          for (const rounding of ROUNDINGS) {
            const b = new GraphBuilder(`dense${i}`);
            const x = b.input('x', [1, nin], { dtype: dt, fl: 7 });
            const wfl = perCh ? Array.from({ length: nout }, (_, c) => 4 + (c % 4)) : 6;
            const ins = [x, b.const('w', [nout, nin], { fl: wfl }, rng.ints(nout * nin, -127, 127))];
            if (withBias) ins.push(b.const('b', [nout], { dtype: 'int32', fl: typeof wfl === 'number' ? 7 + wfl : wfl.map((f) => 7 + f) }, rng.ints(nout, -9000, 9000)));
            const odt: DType = i % 2 ? 'int8' : 'uint8';
            b.output(b.layer('fc', 'dense', ins, { name: 'y', dtype: odt, fl: 1 + (i % 7) }, {}, { rounding, ...(i % 5 === 2 ? { clamp: { lo: odt === 'int8' ? -50 : 0, hi: 90 } } : {}) }));
            i++;
            out.push(b.build());
          }
  return out;
}

function items(graphs: Graph[]): VerifyItem[] {
  return graphs.map((graph, i) => ({ graph, cases: randomCases(graph, 4, 77 + i), options: { prefix: `g${i}` } }));
}

const GRIDS: Record<string, () => Graph[]> = { conv2d: conv2dGrid, dense: denseGrid };

describe('each op alone, bit-exact through the C backend', () => {
  for (const [op, grid] of Object.entries(GRIDS)) {
    const lowered = getOp(op as 'conv2d' | 'dense').lower !== undefined;
    (lowered ? test : test.skip)(`${op}: grid`, async () => {
      const graphs = grid();
      expect(graphs.length).toBeGreaterThan(40);
      const r = await verifyOnHost(items(graphs));
      expect(r.builds.flatMap((b) => [b.compileLog ?? '', b.runError ?? '', ...b.mismatches.slice(0, 3).map((m) => JSON.stringify(m))]).filter(Boolean)).toEqual([]);
      expect(r.ok).toBe(true);
    });
  }
});
