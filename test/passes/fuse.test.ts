import { GraphBuilder } from '../../src/ir/builder.js';
import { runGraph } from '../../src/interp/interpreter.js';
import { fusePass } from '../../src/passes/fuse.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import { DiagnosticBag } from '../../src/diag/diagnostic.js';
import { HOST_TARGET } from '../../src/ops/opdef.js';
import { Rng } from '../../src/util/rng.js';
import type { Graph } from '../../src/ir/types.js';

const ctx = { diags: new DiagnosticBag(), target: HOST_TARGET, variant: 'portable' as const };

function convThen(act: 'relu' | 'relu6' | 'clip', actFl: number, opts: { extraUse?: boolean; actDtype?: 'int8' | 'uint8' } = {}): Graph {
  const b = new GraphBuilder('f');
  const x = b.input('x', [1, 4, 4, 2], { fl: 6 });
  const w = b.const('w', [3, 3, 3, 2], { fl: 7 }, new Rng(1).ints(54, -127, 127));
  const y = b.layer('conv', 'conv2d', [x, w], { name: 'y', fl: 3, qmin: -100, qmax: 100 }, { padding: 'same' }, { rounding: 'half_away' });
  const attrs = act === 'clip' ? { min: -1.3, max: 2.7 } : {};
  b.layer('act', act, [y], { name: 'z', fl: actFl, dtype: opts.actDtype ?? 'int8' }, attrs);
  if (opts.extraUse) {
    b.layer('other', 'relu', [y], { name: 'z2', fl: 3 });
    b.output('z2');
  }
  b.output('z');
  return b.build();
}

function outputsOn(g: Graph, seed: number): number[] {
  const rng = new Rng(seed);
  const x = rng.ints(32, -128, 127);
  return Array.from(runGraph(g, trivialPlan(g), new Map([['x', x]])).outputs.get('z')!);
}

describe('fuse activations', () => {
  test.each([
    ['relu', 'int8'],
    ['relu', 'uint8'],
    ['relu6', 'uint8'],
    ['clip', 'int8'],
  ] as const)('%s (%s out) fuses into conv2d and gives the same bytes', (act, dt) => {
    const g = convThen(act, 3, { actDtype: dt });
    const f = fusePass.run(g, ctx);
    expect(f.layers.map((l) => l.op)).toEqual(['conv2d']);
    expect(f.layers[0]!.outputs).toEqual(['z']);
    expect(f.tensors.has('y')).toBe(false);
    for (let s = 0; s < 20; s++) expect(outputsOn(f, s)).toEqual(outputsOn(g, s));
  });

  test('the fused clamp composes both ranges: int8 [-100,100] then relu6 at FL 3 (hi 48)', () => {
    const f = fusePass.run(convThen('relu6', 3, { actDtype: 'uint8' }), ctx);
    expect(f.layers[0]!.clamp).toEqual({ lo: 0, hi: 48 });
  });

  test('no fusion when the activation changes FL', () => {
    const g = convThen('relu', 2);
    expect(fusePass.run(g, ctx)).toBe(g);
  });

  test('no fusion when the producer output has another consumer', () => {
    const g = convThen('relu', 3, { extraUse: true });
    expect(fusePass.run(g, ctx).layers).toHaveLength(3);
  });

  test('the input graph is not mutated', () => {
    const g = convThen('relu', 3);
    const before = JSON.stringify(g.layers);
    fusePass.run(g, ctx);
    expect(JSON.stringify(g.layers)).toBe(before);
  });
});
