/** Fuzzing a model that uses many ops: random values at random places load or give UserError. */
import fc from 'fast-check';
import { UserError } from '../../src/diag/diagnostic.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import { parseModel, serializeModel } from '../../src/loader/load.js';

function manyOps(): string {
  const b = new GraphBuilder('many');
  const x = b.input('x', [1, 6, 6, 2], { dtype: 'uint8', fl: 8 });
  const w = b.const('w', [4, 3, 3, 2], { fl: 7, qmin: -127 }, Array.from({ length: 72 }, (_, i) => (i % 9) - 4));
  const bias = b.const('b', [4], { dtype: 'int32', fl: 15 }, [1, -2, 3, -4]);
  const c = b.layer('conv', 'conv2d', [x, w, bias], { name: 'c', fl: 5 }, { padding: 'same' });
  const r = b.layer('relu', 'relu', [c], { name: 'r', dtype: 'uint8', fl: 5 });
  const p = b.layer('pool', 'max_pool', [r], { name: 'p', dtype: 'uint8', fl: 5 }, { kernel: [2, 2] });
  const a = b.layer('avg', 'avg_pool', [p], { name: 'q', dtype: 'uint8', fl: 5 }, { kernel: [1, 1] });
  const s = b.layer('sum', 'add', [p, a], { name: 's', dtype: 'uint8', fl: 4 });
  const cat = b.layer('cat', 'concat', [s, p], { name: 'k', dtype: 'uint8', fl: 4 }, { axis: -1 });
  const pd = b.layer('pad', 'pad', [cat], { name: 'pd', dtype: 'uint8', fl: 4 }, { pads: [[0, 0], [1, 1], [1, 1], [0, 0]] });
  const g = b.layer('gap', 'global_avg_pool', [pd], { name: 'g', dtype: 'uint8', fl: 4 });
  const f = b.layer('flat', 'flatten', [g], { name: 'f', dtype: 'uint8', fl: 4 });
  const dw = b.const('dw', [3, 8], { fl: 6, qmin: -127 }, Array.from({ length: 24 }, (_, i) => i - 12));
  const d = b.layer('fc', 'dense', [f, dw], { name: 'd', fl: 5 });
  const rs = b.layer('rs', 'reshape', [d], { name: 'rs', fl: 5 }, { shape: [1, 3] });
  const cl = b.layer('clip', 'clip', [rs], { name: 'cl', fl: 5 }, { min: -1, max: 1 });
  const sg = b.layer('sig', 'pocket_sigmoid', [cl], { name: 'sg', fl: 7 });
  b.layer('sm', 'softmax', [sg], { name: 'sm', fl: 7 });
  b.output('sm');
  return serializeModel(b.build(), { inline: true }).json;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function mutate(m: any, pick: number[], v: unknown): unknown {
  let node = m;
  for (let depth = 0; depth < pick.length; depth++) {
    const keys = Object.keys(node);
    const k = keys[pick[depth]! % keys.length]!;
    const child = node[k];
    if (depth === pick.length - 1 || child === null || typeof child !== 'object' || Object.keys(child).length === 0) {
      node[k] = v;
      return m;
    }
    node = child;
  }
  return m;
}

describe('fuzz over all ops', () => {
  const base = manyOps();

  test('the many-op model loads', () => {
    expect(parseModel(base, 'many.json').graph.layers).toHaveLength(14);
  });

  test('random values at random places', () => {
    const value = fc.oneof(
      fc.integer({ min: -3, max: 40 }),
      fc.constantFrom(0, -1, 1, 2 ** 31, 1e308, 'same', 'valid', 'int8', 'uint8', 'int32', 'int16', [1], [2, 2], [], {}, null, true),
      fc.array(fc.integer({ min: -2, max: 9 }), { maxLength: 5 }),
      fc.jsonValue(),
    );
    fc.assert(
      fc.property(fc.array(fc.nat(40), { minLength: 2, maxLength: 6 }), value, (pick, v) => {
        try {
          parseModel(JSON.stringify(mutate(JSON.parse(base), pick, v)), 'many.json');
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});
