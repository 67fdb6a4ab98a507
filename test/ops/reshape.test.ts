import { GraphBuilder, type FormatSpec } from '../../src/ir/builder.js';
import type { Graph, OpKind } from '../../src/ir/types.js';
import { problems, runXY as run } from './helpers.js';

function build(op: OpKind, shape: number[], fx: FormatSpec, fy: FormatSpec, attrs: Record<string, unknown> = {}): Graph {
  const b = new GraphBuilder('t');
  const x = b.input('x', shape, fx);
  b.layer('r', op, [x], { name: 'y', ...fy }, attrs);
  b.output('y');
  return b.build();
}

describe('reshape', () => {
  test('[1, 2, 2, 2] -> [1, -1] = [1, 8]: bytes unchanged, extremes included', () => {
    const g = build('reshape', [1, 2, 2, 2], { fl: 3 }, { fl: 3 }, { shape: [1, -1] });
    expect(g.tensors.get('y')!.shape).toEqual([1, 8]);
    expect(run(g, [-128, 127, 0, 5, -5, 1, 2, 3])).toEqual([-128, 127, 0, 5, -5, 1, 2, 3]);
    expect(problems(g)).toEqual([]);
  });

  test('uint8 [1, 2, 3] -> [1, 3, 2] with a narrowed format on both sides', () => {
    const f: FormatSpec = { dtype: 'uint8', fl: 8, qmin: 0, qmax: 200 };
    const g = build('reshape', [1, 2, 3], f, f, { shape: [1, 3, 2] });
    expect(g.tensors.get('y')!.shape).toEqual([1, 3, 2]);
    expect(run(g, [0, 200, 128, 1, 2, 3])).toEqual([0, 200, 128, 1, 2, 3]);
    expect(problems(g)).toEqual([]);
  });

  test('-1 in the middle: [1, 4, 3] -> [1, 2, -1, 3] = [1, 2, 2, 3]', () => {
    const g = build('reshape', [1, 4, 3], { fl: 0 }, { fl: 0 }, { shape: [1, 2, -1, 3] });
    expect(g.tensors.get('y')!.shape).toEqual([1, 2, 2, 3]);
  });

  test('F8E045: FL, dtype or qmax differ', () => {
    expect(problems(build('reshape', [1, 4], { fl: 3 }, { fl: 2 }, { shape: [1, 2, 2] }))).toEqual(['F8E045']);
    expect(problems(build('reshape', [1, 4], { fl: 3 }, { dtype: 'uint8', fl: 3 }, { shape: [1, 2, 2] }))).toEqual(['F8E045']);
    expect(problems(build('reshape', [1, 4], { fl: 3 }, { fl: 3, qmax: 100 }, { shape: [1, 2, 2] }))).toEqual(['F8E045']);
  });

  test('F8E030: element count differs, or -1 cannot divide it', () => {
    const g = build('reshape', [1, 6], { fl: 0 }, { fl: 0 }, { shape: [1, 6] });
    expect(problems(g, { ...g.layers[0]!, attrs: { shape: [1, 4] } })).toEqual(['F8E030']);
    expect(problems(g, { ...g.layers[0]!, attrs: { shape: [1, 4, -1] } })).toEqual(['F8E030']);
  });

  test('F8E011: two -1 entries, or a zero dimension', () => {
    const g = build('reshape', [1, 6], { fl: 0 }, { fl: 0 }, { shape: [1, 6] });
    expect(problems(g, { ...g.layers[0]!, attrs: { shape: [1, -1, -1] } })).toEqual(['F8E011']);
    expect(problems(g, { ...g.layers[0]!, attrs: { shape: [1, 0, 6] } })).toEqual(['F8E011']);
  });

  test('F8E032: output batch is not 1', () => {
    const g = build('reshape', [1, 6], { fl: 0 }, { fl: 0 }, { shape: [1, 6] });
    expect(problems(g, { ...g.layers[0]!, attrs: { shape: [2, 3] } })).toEqual(['F8E032']);
    expect(problems(g, { ...g.layers[0]!, attrs: { shape: [-1, 3] } })).toEqual(['F8E032']);
  });

  test('F8E042: int32 tensors are not activations', () => {
    expect(problems(build('reshape', [1, 4], { fl: 0, dtype: 'int32' }, { fl: 0, dtype: 'int32' }, { shape: [1, 4] }))).toEqual(['F8E042']);
  });
});

describe('flatten', () => {
  test('[1, 2, 2, 3] -> [1, 12], bytes in NHWC order', () => {
    const f: FormatSpec = { fl: 5, qmin: -127, qmax: 127 };
    const g = build('flatten', [1, 2, 2, 3], f, f);
    expect(g.tensors.get('y')!.shape).toEqual([1, 12]);
    const x = [-127, 127, 0, 1, 2, 3, -1, -2, -3, 10, 20, 30];
    expect(run(g, x)).toEqual([-127, 127, 0, 1, 2, 3, -1, -2, -3, 10, 20, 30]);
    expect(problems(g)).toEqual([]);
  });

  test('F8E045: formats differ', () => {
    expect(problems(build('flatten', [1, 2, 2], { fl: 0 }, { fl: 1 }))).toEqual(['F8E045']);
  });

  test('F8E032: input batch is not 1', () => {
    const g = build('flatten', [1, 2, 2], { fl: 0 }, { fl: 0 });
    g.tensors.set('x', { ...g.tensors.get('x')!, shape: [2, 2] });
    expect(problems(g)).toEqual(['F8E032']);
  });
});
