/** relu/relu6/clip, reshape/flatten, concat, pad, softmax and pocket kernels against their OpDef's eval. */
import { GraphBuilder, type FormatSpec } from '../../src/ir/builder.js';
import { DTYPE_RANGE, numel, type OpKind } from '../../src/ir/types.js';
import { checkCases, type KCase } from './harness.js';
import { actFormat, actValues, layerOpts } from './gen.js';
import { Rng } from '../../src/util/rng.js';

const randShape = (rng: Rng): number[] => rng.pick([[1, rng.int(1, 20)], [1, rng.int(1, 4), rng.int(1, 4), rng.int(1, 5)], [1, rng.int(1, 3), rng.int(1, 6)]]);

/** A one-layer graph on input x. */
function unary(rng: Rng, i: number, op: OpKind, shape: number[], xf: FormatSpec, of: FormatSpec, attrs: Record<string, unknown> = {}, fused = true): KCase {
  const b = new GraphBuilder(`${op}${i}`);
  const x = b.input('x', shape, xf);
  const opts = fused ? layerOpts(rng, of.dtype) : { rounding: rng.pick(['half_even', 'half_up', 'half_away'] as const) };
  b.layer('l', op, [x], { name: 'y', ...of }, attrs, opts);
  b.output('y');
  return { label: `${op} [${shape}] ${JSON.stringify(attrs)} ${xf.dtype}@${xf.fl} -> ${of.dtype}@${of.fl} ${opts.rounding}`, graph: b.build(), inputs: new Map([['x', actValues(rng, numel(shape), xf)]]) };
}

function activationCase(rng: Rng, i: number): KCase {
  const op = rng.pick(['relu', 'relu6', 'clip'] as const);
  const xf = actFormat(rng, rng.int(0, 8));
  const of = actFormat(rng, rng.int(0, 8));
  const scale = 2 ** (of.fl as number);
  const a = rng.int(-200, 200);
  const c = rng.int(-200, 200);
  const attrs = op === 'clip' ? { min: Math.min(a, c) / scale, max: (Math.max(a, c) + 0.5) / scale } : {};
  return unary(rng, i, op, randShape(rng), xf, of, attrs);
}

function copyCase(rng: Rng, i: number): KCase {
  const shape = [1, rng.int(1, 4), rng.int(1, 4), rng.int(1, 4)];
  const xf = actFormat(rng, rng.int(0, 8));
  return rng.next() < 0.5 ? unary(rng, i, 'flatten', shape, xf, xf, {}, false) : unary(rng, i, 'reshape', shape, xf, xf, { shape: [1, -1, shape[3]!] }, false);
}

function concatCase(rng: Rng, i: number): KCase {
  const rank = rng.pick([2, 4]);
  const base = rank === 2 ? [1, rng.int(1, 6)] : [1, rng.int(1, 3), rng.int(1, 3), rng.int(1, 4)];
  const axis = rank === 2 ? rng.pick([1, -1]) : rng.pick([1, 2, 3, -1]);
  const ax = axis < 0 ? axis + rank : axis;
  const b = new GraphBuilder(`concat${i}`);
  const inputs = new Map<string, number[]>();
  const names: string[] = [];
  const n = rng.int(1, 3);
  for (let k = 0; k < n; k++) {
    const shape = [...base];
    shape[ax] = rng.int(1, 4);
    const f = actFormat(rng, rng.int(0, 8));
    names.push(b.input(`x${k}`, shape, f));
    inputs.set(`x${k}`, actValues(rng, numel(shape), f));
  }
  const of = actFormat(rng, rng.int(0, 8));
  const opts = { rounding: rng.pick(['half_even', 'half_up', 'half_away'] as const) };
  b.layer('cat', 'concat', names, { name: 'y', ...of }, { axis }, opts);
  b.output('y');
  return { label: `concat ${n} inputs axis ${axis} base [${base}] ${opts.rounding}`, graph: b.build(), inputs };
}

function padCase(rng: Rng, i: number): KCase {
  const shape = randShape(rng);
  const pads = shape.map((_, d) => (d === 0 ? [0, 0] : [rng.int(0, 2), rng.int(0, 2)]));
  const xf = actFormat(rng, rng.int(0, 8));
  const of = actFormat(rng, rng.int(0, 8));
  const [lo, hi] = DTYPE_RANGE[of.dtype!];
  const q = rng.int(Math.max(lo, of.qmin ?? lo), Math.min(hi, of.qmax ?? hi));
  return unary(rng, i, 'pad', shape, xf, of, { pads, value: q / 2 ** (of.fl as number) }, false);
}

function softmaxCase(rng: Rng, i: number): KCase {
  const shape = rng.pick([[1, rng.int(1, 40)], [1, rng.int(1, 3), rng.int(1, 12)]]);
  return unary(rng, i, 'softmax', shape, actFormat(rng, rng.int(0, 8)), actFormat(rng, rng.int(0, 15)), {}, false);
}

function pocketCase(rng: Rng, i: number): KCase {
  const op = rng.pick(['pocket_sigmoid', 'pocket_tanh'] as const);
  const of: FormatSpec = rng.next() < 0.5 ? { dtype: 'int8', fl: 7 } : { dtype: 'int8', fl: 7, qmin: -127, qmax: 127 };
  return unary(rng, i, op, randShape(rng), actFormat(rng, rng.int(0, 14)), of, {}, false);
}

const GENS: [string, (rng: Rng, i: number) => KCase][] = [
  ['relu, relu6, clip (f8_rescale)', activationCase],
  ['reshape, flatten (f8_copy)', copyCase],
  ['concat (f8_rescale per input)', concatCase],
  ['pad', padCase],
  ['softmax', softmaxCase],
  ['pocket_sigmoid, pocket_tanh', pocketCase],
];

describe('runtime-c kernels (activations, copy, concat, pad, softmax, pocket)', () => {
  test.each(GENS)('%s', async (name, gen) => {
    const rng = new Rng(name.length * 7919);
    expect(await checkCases(Array.from({ length: 150 }, (_, i) => gen(rng, i)))).toEqual([]);
  });
});
