import { DiagnosticBag } from '../../src/diag/diagnostic.js';
import { HOST_TARGET } from '../../src/ops/opdef.js';
import { orderPass, topoOrder } from '../../src/passes/order.js';
import { accumulatorBounds, validatePass } from '../../src/passes/validate.js';
import { b64, load, tiny } from './helpers.js';

/** image -> a -> {b, c}; layers written in the file as c, b, a. */
function shuffled() {
  const m = tiny();
  const act = (fl: number) => ({ shape: [1, 4, 4, 2], dtype: 'int8', quant: { kind: 'fixed', fl } });
  m.tensors.w2 = { shape: [2, 1, 1, 2], dtype: 'int8', quant: { kind: 'fixed', fl: 6 }, data: { base64: b64(Int8Array.from([1, 2, 3, 4])) } };
  m.tensors.b = act(4);
  m.tensors.c = act(4);
  m.layers[0].name = 'a';
  m.layers.unshift({ name: 'c', op: 'conv2d', inputs: ['c1', 'w2'], outputs: ['c'] }, { name: 'b', op: 'conv2d', inputs: ['c1', 'w2'], outputs: ['b'] });
  m.outputs = ['b', 'c'];
  return m;
}

const ctx = () => ({ diags: new DiagnosticBag('x'), target: HOST_TARGET, variant: 'portable' as const });

describe('order pass', () => {
  test('topological, ties in file order, pure', () => {
    const { graph: g } = load(shuffled());
    expect(g.layers.map((l) => l.name)).toEqual(['c', 'b', 'a']);
    const o = orderPass.run(g, ctx());
    expect(o.layers.map((l) => l.name)).toEqual(['a', 'c', 'b']);
    expect(g.layers.map((l) => l.name)).toEqual(['c', 'b', 'a']);
    expect(orderPass.run(o, ctx()).layers.map((l) => l.name)).toEqual(['a', 'c', 'b']);
  });

  test('cycles are left out of the order', () => {
    const { graph: g } = load(tiny());
    const cyc = { ...g, layers: [{ ...g.layers[0]!, inputs: ['c1', 'conv1.w'] }] };
    expect(topoOrder(cyc).cyclic.map((l) => l.name)).toEqual(['conv1']);
    expect(() => orderPass.run(cyc, ctx())).toThrow(/internal/);
  });
});

describe('validate pass', () => {
  test('a loaded graph validates cleanly again, unchanged', () => {
    const { graph: g } = load(tiny());
    const c = ctx();
    expect(validatePass.run(g, c)).toBe(g);
    expect(validatePass.run({ ...g }, c)).toEqual(g);
    expect(c.diags.items).toEqual([]);
  });

  test('warnings of a loaded graph are not reported twice by the pipeline', () => {
    const m = tiny();
    m.tensors.spare = { shape: [2], dtype: 'int8', quant: { kind: 'fixed', fl: 0 }, data: { base64: b64(new Int8Array(2)) } };
    const { graph: g, diags } = load(m);
    expect(diags.items.map((d) => d.code)).toEqual(['F8E026']);
    const c = ctx();
    validatePass.run(g, c);
    expect(c.diags.items).toEqual([]);
    validatePass.run({ ...g }, c);
    expect(c.diags.items.map((d) => d.code)).toEqual(['F8E026']);
  });

  test('accumulatorBounds', () => {
    const { graph: g } = load(tiny());
    // |w| sums per channel: 1+..+9 = 45; x in [0, 255]; bias 100 and 200.
    expect(accumulatorBounds(g)).toEqual(new Map([['conv1', { maxAbs: 45 * 255 + 200, fitsInt16: true }]]));
    const m = tiny();
    m.tensors['conv1.w'].data.base64 = b64(new Int8Array(18).fill(127));
    expect(accumulatorBounds(load(m).graph).get('conv1')).toEqual({ maxAbs: 9 * 127 * 255 + 200, fitsInt16: false });
  });
});
