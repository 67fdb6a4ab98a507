/**
 * f8c verify on every Cortex-M core: the bundled examples and seeded random
 * graphs, all cases of a model compiled into one firmware image and run under
 * QEMU without the counting plugin. A graph using an op that has no C
 * lowering yet is skipped with a note (it cannot be compiled for any target).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { verifyOnMcu, type McuVerifyItem } from '../../src/backend/mcu/verify.js';
import type { Graph } from '../../src/ir/types.js';
import { loadModel } from '../../src/loader/load.js';
import { getOp } from '../../src/ops/registry.js';
import { runPipeline } from '../../src/passes/index.js';
import { randomGraph } from '../../src/testing/random-graph.js';
import { PACKAGE_ROOT } from '../../src/targets/paths.js';
import { resolveTarget } from '../../src/targets/load.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import { DiagnosticBag } from '../../src/diag/diagnostic.js';
import { ROUNDINGS } from '../../src/ir/types.js';
import { Rng } from '../../src/util/rng.js';
import { randomCases } from '../backend/util.js';

const CORES = ['cortex-m0plus', 'cortex-m3', 'cortex-m4', 'cortex-m7', 'cortex-m33', 'cortex-m55'];

function examples(): Graph[] {
  const dir = join(PACKAGE_ROOT, 'examples');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(dir, d.name, `${d.name}.json`))
    .filter((file) => existsSync(file))
    .map((file) => {
      const { graph, diags } = loadModel(file);
      diags.throwIfErrors();
      return runPipeline(graph, { diags });
    });
}

const unlowered = (g: Graph) => [...new Set(g.layers.filter((l) => !getOp(l.op).lower).map((l) => l.op))];

function items(graphs: Graph[], cases: number, seed: number): McuVerifyItem[] {
  const ok: McuVerifyItem[] = [];
  for (const g of graphs) {
    const missing = unlowered(g);
    if (missing.length) console.warn(`test/mcu/examples: skipping ${g.name}: no C lowering yet for ${missing.join(', ')}`);
    else ok.push({ graph: g, cases: randomCases(g, cases, seed) });
  }
  return ok;
}

const exampleItems = items(examples(), 8, 11);

test('the examples are found', () => {
  expect(examples().length).toBeGreaterThanOrEqual(2);
});

describe.each(CORES)('examples on %s', (core) => {
  (exampleItems.length ? test : test.skip)('every example matches the interpreter byte for byte', async () => {
    const rep = await verifyOnMcu(resolveTarget(core), exampleItems);
    expect(rep.runErrors).toEqual([]);
    expect(rep.mismatches).toEqual([]);
    expect(rep.ok).toBe(true);
    expect(rep.cases).toBe(exampleItems.length * 8);
  });
});

/** Random chains of conv2d layers (strides, padding, groups, per-channel FL, clamps, rounding): compilable today. */
function randomConvChain(seed: number): Graph {
  const rng = new Rng(seed);
  const b = new GraphBuilder(`conv${seed}`);
  let c = rng.int(1, 4);
  let h = rng.int(4, 9);
  let fl = rng.int(4, 7);
  let x = b.input('x', [1, h, rng.int(4, 9), c], { dtype: rng.next() < 0.5 ? 'int8' : 'uint8', fl });
  const n = rng.int(1, 4);
  for (let i = 0; i < n; i++) {
    const k = rng.pick([1, 3]);
    const depthwise = k === 3 && rng.next() < 0.3;
    const cout = depthwise ? c : rng.int(1, 8);
    const groups = depthwise ? c : 1;
    const flw = rng.int(5, 8);
    const w = b.const(`w${i}`, [cout, k, k, c / groups], { fl: flw }, rng.ints(cout * k * k * (c / groups), -127, 127));
    const inputs = [x, w];
    if (rng.next() < 0.7) inputs.push(b.const(`b${i}`, [cout], { dtype: 'int32', fl: fl + flw }, rng.ints(cout, -3000, 3000)));
    const outFl = rng.int(2, 6);
    const stride = h >= 6 && rng.next() < 0.3 ? 2 : 1;
    const clamp = rng.next() < 0.4 ? { clamp: { lo: 0, hi: 127 } } : {};
    x = b.layer(`conv${i}`, 'conv2d', inputs, { name: `y${i}`, fl: outFl, dtype: 'int8' }, { padding: k === 3 ? rng.pick(['same', 'valid']) : 'valid', strides: [stride, stride], groups }, { rounding: rng.pick(ROUNDINGS), ...clamp });
    const t = b.build().tensors.get(x)!;
    c = t.shape[3]!;
    h = t.shape[1]!;
    fl = outFl;
  }
  b.output(x);
  const diags = new DiagnosticBag();
  const g = runPipeline(b.build(), { diags });
  diags.throwIfErrors();
  return g;
}

describe.each(['cortex-m0plus', 'cortex-m4', 'cortex-m55'])('random conv chains on %s', (core) => {
  test('6 graphs, 4 cases each', async () => {
    const graphs = Array.from({ length: 6 }, (_, i) => randomConvChain(500 + i));
    const rep = await verifyOnMcu(resolveTarget(core), graphs.map((g) => ({ graph: g, cases: randomCases(g, 4, 9) })));
    expect(rep.runErrors).toEqual([]);
    expect(rep.mismatches).toEqual([]);
    expect(rep.ok).toBe(true);
    expect(rep.cases).toBe(24);
  });
});

describe.each(['cortex-m0plus', 'cortex-m4', 'cortex-m55'])('random graphs on %s', (core) => {
  const graphs = items(Array.from({ length: 8 }, (_, i) => randomGraph(1000 + i, { maxLayers: 5 })), 4, 5);
  (graphs.length ? test : test.skip)(`${graphs.length} random graph(s), 4 cases each`, async () => {
    const rep = await verifyOnMcu(resolveTarget(core), graphs);
    expect(rep.runErrors).toEqual([]);
    expect(rep.mismatches).toEqual([]);
    expect(rep.ok).toBe(true);
  });
});
