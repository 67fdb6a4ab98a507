/**
 * Every op other than conv2d and dense (ops.test.ts) alone over a grid of
 * shapes, attributes, dtypes, FL changes, rounding modes, narrowed ranges
 * and clamps (fused by the fuse pass where the op is fusable), compiled by
 * the real emitter and checked bit-exact against the interpreter in the
 * strict and the sanitizer builds; one gcc run per build and grid.
 */
import type { Graph, OpKind } from '../../src/ir/types.js';
import { activationGrid, addGrid, globalAvgPoolGrid, poolGrid } from './grids-a.js';
import { concatGrid, moveGrid, padGrid, pocketGrid, softmaxGrid } from './grids-b.js';
import { piped, verifyGrid } from './grid-util.js';

const GRIDS: [string, OpKind[], () => Graph[]][] = [
  ['add', ['add'], addGrid],
  ['relu, relu6, clip', ['relu', 'relu6', 'clip'], activationGrid],
  ['max_pool', ['max_pool'], () => poolGrid('max_pool')],
  ['avg_pool', ['avg_pool'], () => poolGrid('avg_pool')],
  ['global_avg_pool', ['global_avg_pool'], globalAvgPoolGrid],
  ['concat', ['concat'], concatGrid],
  ['pad', ['pad'], padGrid],
  ['reshape, flatten', ['reshape', 'flatten'], () => [...moveGrid('reshape'), ...moveGrid('flatten')]],
  ['softmax', ['softmax'], softmaxGrid],
  ['pocket_sigmoid, pocket_tanh', ['pocket_sigmoid', 'pocket_tanh'], pocketGrid],
];

describe('each op alone, bit-exact through the C backend (grids)', () => {
  test.each(GRIDS.map(([name, ops, grid], k) => [name, ops, grid, k] as const))('%s', async (_, ops, grid, k) => {
    const graphs = piped(grid());
    expect(graphs.length).toBeGreaterThanOrEqual(16);
    // Each graph is the op alone once fused activations are folded in.
    for (const g of graphs) expect(g.layers.map((l) => l.op).filter((op) => !ops.includes(op))).toEqual([]);
    expect(await verifyGrid(graphs, 1000 * (k + 1))).toEqual([]);
  });

  test('fusable grids do fuse their activations', () => {
    for (const grid of [addGrid, () => poolGrid('max_pool'), () => poolGrid('avg_pool'), globalAvgPoolGrid]) {
      const raw = grid();
      const fused = piped(raw).filter((g, i) => g.layers.length < raw[i]!.layers.length);
      expect(fused.length).toBeGreaterThan(4);
      expect(fused.every((g) => g.layers.length === 1 && g.layers[0]!.clamp !== undefined)).toBe(true);
    }
  });
});
