import { readFileSync } from 'node:fs';
import { GraphBuilder } from '../../src/ir/builder.js';
import type { Graph } from '../../src/ir/types.js';
import { loadModel, parseModel, serializeModel } from '../../src/loader/load.js';
import { modelJsonSchema } from '../../src/loader/schema.js';
import { FIXTURES } from './helpers.js';

/** The parts of a graph a round trip must keep (source and locations aside). */
function essence(g: Graph) {
  return {
    name: g.name,
    inputs: g.inputs,
    outputs: g.outputs,
    producer: g.source.producer,
    layout: g.source.layout,
    tensors: [...g.tensors.values()].map(({ loc: _loc, ...t }) => ({ ...t, data: t.data && { type: t.data.constructor.name, values: Array.from(t.data) } })),
    layers: g.layers.map(({ loc: _loc, ...l }) => l),
  };
}

describe('sidecar weights', () => {
  test('a good sidecar loads the same graph as inline data', () => {
    const a = loadModel(FIXTURES + 'tiny_conv.json').graph;
    const b = loadModel(FIXTURES + 'tiny_conv_sidecar.json').graph;
    expect(essence(b)).toEqual({ ...essence(a), name: 'tiny_conv_sidecar' });
  });

  test('the hash covers the sidecar bytes', () => {
    const text = readFileSync(FIXTURES + 'tiny_conv_sidecar.json', 'utf8');
    const bin = readFileSync(FIXTURES + 'tiny_conv_sidecar.bin');
    const h1 = parseModel(text, 'a.json', () => bin).graph.source.hash;
    const bin2 = Buffer.from(bin);
    bin2[24] = 0x37; // bias[1]: -200 -> -201
    const h2 = parseModel(text, 'a.json', () => bin2).graph.source.hash;
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(h2).not.toBe(h1);
  });
});

describe('serializeModel', () => {
  const g = loadModel(FIXTURES + 'tiny_conv.json').graph;

  test('inline round trip, deterministic', () => {
    const { json, sidecar } = serializeModel(g, { inline: true });
    expect(sidecar).toBeUndefined();
    expect(serializeModel(g, { inline: true }).json).toBe(json);
    const back = parseModel(json, 'rt.json').graph;
    expect(essence(back)).toEqual(essence(g));
    expect(serializeModel(back, { inline: true }).json).toBe(json);
  });

  test('sidecar round trip', () => {
    const { json, sidecar } = serializeModel(g, { inline: false, weightsFile: 'w.bin' });
    expect(sidecar).toBeInstanceOf(Uint8Array);
    expect(JSON.parse(json).weights_file).toBe('w.bin');
    expect(JSON.parse(json).tensors['conv1.b'].data).toEqual({ offset: 20, length: 8 });
    const back = parseModel(json, 'rt.json', (n) => (n === 'w.bin' ? sidecar : undefined)).graph;
    expect(essence(back)).toEqual(essence(g));
  });

  test('graphs built in code serialize and load back', () => {
    const b = new GraphBuilder('built');
    const x = b.input('x', [1, 3, 3, 2], { dtype: 'int8', fl: 4, qmin: -127 });
    const w = b.const('w', [2, 1, 1, 1], { fl: [6, 7] }, [5, -7]);
    b.layer('dw', 'conv2d', [x, w], { name: 'y', fl: 3 }, { groups: 2 }, { rounding: 'half_away' });
    b.output('y');
    const built = b.build();
    const back = parseModel(serializeModel(built, { inline: true }).json, 'b.json').graph;
    expect(essence(back)).toEqual(essence(built));
  });
});

describe('JSON Schema', () => {
  test('schema/f8c-model.schema.json is up to date (node scripts/gen-schema.mjs)', () => {
    const committed = readFileSync(new URL('../../schema/f8c-model.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(modelJsonSchema());
  });
});
