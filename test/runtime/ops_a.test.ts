/** dense, max_pool, avg_pool, global_avg_pool and add kernels against their OpDef's eval. */
import { GraphBuilder } from '../../src/ir/builder.js';
import type { Padding } from '../../src/ops/common.js';
import { checkCases, type KCase } from './harness.js';
import { actFormat, actValues, layerOpts } from './gen.js';
import { Rng } from '../../src/util/rng.js';

function denseCase(rng: Rng, i: number): KCase {
  const K = rng.int(1, 40);
  const N = rng.int(1, 12);
  const flx = rng.int(0, 8);
  const flw = rng.next() < 0.4 ? rng.ints(N, 0, 7) : rng.int(0, 7);
  const flo = rng.next() < 0.15 ? flx + 8 + rng.int(0, 3) : rng.int(0, 8);
  const xf = actFormat(rng, flx);
  const of = actFormat(rng, flo);
  const b = new GraphBuilder(`dense${i}`);
  const x = b.input('x', [1, K], xf);
  const ins = [x, b.const('w', [N, K], { fl: flw }, rng.ints(N * K, -128, 127))];
  if (rng.next() < 0.7) {
    const bfl = typeof flw === 'number' ? flx + flw : flw.map((f) => flx + f);
    const big = rng.next() < 0.15;
    ins.push(b.const('b', [N], { dtype: 'int32', fl: bfl }, Array.from({ length: N }, () => (big ? rng.pick([2147483647 - rng.int(0, 2000), -2147483648 + rng.int(0, 2000)]) : rng.int(-30000, 30000)))));
  }
  const opts = layerOpts(rng, of.dtype);
  b.layer('fc', 'dense', ins, { name: 'y', ...of }, {}, opts);
  b.output('y');
  return { label: `K${K} N${N} ${xf.dtype}/${of.dtype} fl ${flx},${JSON.stringify(flw)}->${flo} ${opts.rounding}`, graph: b.build(), inputs: new Map([['x', actValues(rng, K, xf)]]) };
}

function poolCase(rng: Rng, i: number, op: 'max_pool' | 'avg_pool' | 'global_avg_pool'): KCase {
  for (;;) {
    const H = rng.int(1, 7);
    const W = rng.int(1, 7);
    const C = rng.int(1, 5);
    const kh = rng.int(1, 3);
    const kw = rng.int(1, 3);
    const strides: [number, number] = [rng.int(1, 3), rng.int(1, 3)];
    const pr = rng.next();
    const padding: Padding = pr < 0.3 ? 'valid' : pr < 0.6 ? 'same' : [rng.int(0, kh - 1), rng.int(0, kw - 1), rng.int(0, kh - 1), rng.int(0, kw - 1)];
    if (op !== 'global_avg_pool' && padding === 'valid' && (kh > H || kw > W)) continue;
    if (op !== 'global_avg_pool' && Array.isArray(padding) && (H + padding[0] + padding[2] < kh || W + padding[1] + padding[3] < kw)) continue;
    const fli = rng.int(0, 8);
    const flo = op === 'max_pool' ? rng.int(0, 8) : fli + rng.int(-6, op === 'global_avg_pool' ? 4 : 8);
    const xf = actFormat(rng, fli);
    const of = actFormat(rng, flo);
    const b = new GraphBuilder(`pool${i}`);
    const x = b.input('x', [1, H, W, C], xf);
    const attrs = op === 'global_avg_pool' ? {} : { kernel: [kh, kw], strides, padding, ...(op === 'avg_pool' ? { count_include_pad: rng.next() < 0.5 } : {}) };
    const opts = layerOpts(rng, of.dtype);
    b.layer('p', op, [x], { name: 'y', ...of }, attrs, opts);
    b.output('y');
    return { label: `${op} ${H}x${W}x${C} ${JSON.stringify(attrs)} ${xf.dtype}/${of.dtype} fl ${fli}->${flo} ${opts.rounding}`, graph: b.build(), inputs: new Map([['x', actValues(rng, H * W * C, xf)]]) };
  }
}

function addCase(rng: Rng, i: number): KCase {
  const shape = rng.pick([[1, rng.int(1, 30)], [1, rng.int(1, 4), rng.int(1, 4), rng.int(1, 4)]]);
  const af = actFormat(rng, rng.int(0, 8));
  const bf = actFormat(rng, rng.int(0, 8));
  const of = actFormat(rng, rng.int(0, 8));
  const b = new GraphBuilder(`add${i}`);
  const a = b.input('a', shape, af);
  const c = b.input('b', shape, bf);
  const opts = layerOpts(rng, of.dtype);
  b.layer('add', 'add', [a, c], { name: 'y', ...of }, {}, opts);
  b.output('y');
  const n = shape.reduce((p, d) => p * d, 1);
  return {
    label: `add [${shape}] ${af.dtype}@${af.fl} + ${bf.dtype}@${bf.fl} -> ${of.dtype}@${of.fl} ${opts.rounding}`,
    graph: b.build(),
    inputs: new Map([['a', actValues(rng, n, af)], ['b', actValues(rng, n, bf)]]),
  };
}

describe('runtime-c kernels (dense, pools, add)', () => {
  test('f8_dense_*', async () => {
    const rng = new Rng(0xde45e);
    expect(await checkCases(Array.from({ length: 200 }, (_, i) => denseCase(rng, i)))).toEqual([]);
  });
  test.each(['max_pool', 'avg_pool', 'global_avg_pool'] as const)('f8_%s_*', async (op) => {
    const rng = new Rng(0x9001 + op.length);
    expect(await checkCases(Array.from({ length: 200 }, (_, i) => poolCase(rng, i, op)))).toEqual([]);
  });
  test('f8_add_* (s8, u8, mixed operands)', async () => {
    const rng = new Rng(0xadd);
    expect(await checkCases(Array.from({ length: 200 }, (_, i) => addCase(rng, i)))).toEqual([]);
  });
});
