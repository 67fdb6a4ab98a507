import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runGraph } from '../../src/interp/interpreter.js';
import { loadModel } from '../../src/loader/load.js';
import { trivialPlan } from '../../src/plan/trivial.js';
import { FIXTURES, load, tiny } from './helpers.js';

describe('loader', () => {
  test('loads the tiny conv2d model', () => {
    const path = FIXTURES + 'tiny_conv.json';
    const { graph: g, diags } = loadModel(path);
    expect(diags.items).toEqual([]);
    expect(g.name).toBe('tiny_conv');
    expect([...g.tensors.keys()]).toEqual(['image', 'conv1.w', 'conv1.b', 'c1']);
    expect(g.tensors.get('conv1.w')!.loc).toBe('/tensors/conv1.w');
    expect(g.tensors.get('conv1.w')!.data).toEqual(Int8Array.from([1, -2, 3, -4, 5, -6, 7, -8, 9, -1, 2, -3, 4, -5, 6, -7, 8, -9]));
    expect(g.tensors.get('conv1.b')!.data).toEqual(Int32Array.from([100, -200]));
    expect(g.tensors.get('conv1.b')!.quant).toEqual({ kind: 'fixed', fl: [15, 15], axis: 0, qmin: -2147483648, qmax: 2147483647 });
    expect(g.tensors.get('image')!.quant).toEqual({ kind: 'fixed', fl: 8, qmin: 0, qmax: 255 });
    expect(g.layers[0]!.loc).toBe('/layers/0');
    expect(g.layers[0]!.attrs).toEqual({ strides: [1, 1], dilations: [1, 1], padding: 'same', groups: 1 });
    expect(g.layers[0]!.rounding).toBe('half_even');
    const hash = createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(g.source).toEqual({ file: path, hash, producer: 'hand-written test fixture', layout: 'nhwc' });
    const r = runGraph(g, trivialPlan(g), new Map([['image', new Array(16).fill(10)]]));
    expect(r.outputs.get('c1')!.length).toBe(32);
  });

  test('tensors keep file order even with integer-like names', () => {
    // (a JS object would put '7' first: write the text directly)
    const text = JSON.stringify(tiny(), null, 2).replaceAll('"conv1.w"', '"7"');
    expect([...load(text).graph.tensors.keys()]).toEqual(['image', '7', 'conv1.b', 'c1']);
  });

  test('defaults: layout nhwc, rounding half_even, attrs {}', () => {
    const m = tiny();
    delete m.layout;
    delete m.producer;
    delete m.layers[0].rounding;
    delete m.layers[0].attrs;
    m.tensors.c1.shape = [1, 2, 2, 2];
    const { graph: g } = load(m);
    expect(g.source.layout).toBe('nhwc');
    expect(g.source.producer).toBeUndefined();
    expect(g.layers[0]!.rounding).toBe('half_even');
    expect(g.layers[0]!.attrs.padding).toBe('valid');
  });
});
