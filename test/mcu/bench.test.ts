/** f8c bench on Cortex-M: per-layer counts add up to the total within the marker overhead. */
import { benchOnMcu } from '../../src/backend/mcu/bench.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import { resolveTarget } from '../../src/targets/load.js';
import { randomCases } from '../backend/util.js';

function net() {
  const b = new GraphBuilder('bnet');
  const x = b.input('x', [1, 8, 8, 3], { fl: 7 });
  const w = b.const('w', [8, 3, 3, 3], { fl: 7 }, Array.from({ length: 216 }, (_, i) => ((i * 37) % 255) - 127));
  const bias = b.const('b', [8], { dtype: 'int32', fl: 14 }, [100, -200, 5, 0, 7, 9, -11, 300]);
  const y = b.layer('conv1', 'conv2d', [x, w, bias], { name: 'y', fl: 5 }, { padding: 'same' }, { clamp: { lo: 0, hi: 127 } });
  const w2 = b.const('w2', [4, 1, 1, 8], { fl: 7 }, Array.from({ length: 32 }, (_, i) => i * 7 - 100));
  const z = b.layer('pw', 'conv2d', [y, w2], { name: 'z', fl: 4 }, {});
  b.output(z);
  return b.build();
}

describe.each([
  ['cortex-m0plus', true],
  ['cortex-m4', true],
  ['cortex-m55', false],
] as const)('bench on %s', (name, hasCycles) => {
  test('layers, totals, flash, RAM', async () => {
    const g = net();
    const inputs = g.inputs.map((n) => randomCases(g, 1, 3)[0]!.get(n)!);
    const rep = await benchOnMcu(resolveTarget(name), g, { inputs });
    expect(rep.layers.map((l) => [l.name, l.op, l.macs])).toEqual([
      ['conv1', 'conv2d', 8 * 8 * 8 * 27],
      ['pw', 'conv2d', 8 * 8 * 4 * 8],
    ]);
    const sum = rep.layers.reduce((s, l) => s + l.instructions, 0);
    expect(rep.total.instructions).toBeGreaterThan(rep.total.macs);
    expect(Math.abs(rep.total.instructions - sum)).toBeLessThanOrEqual(rep.marker_overhead);
    for (const l of rep.layers) expect(l.instructions).toBeGreaterThan(l.macs);
    if (hasCycles) {
      expect(rep.total.cycles).toBeGreaterThanOrEqual(rep.total.instructions);
      for (const l of rep.layers) expect(l.cycles).toBeGreaterThanOrEqual(l.instructions);
    } else {
      expect(rep.total.cycles).toBeNull();
      for (const l of rep.layers) expect(l.cycles).toBeNull();
    }
    expect(rep.total.weights_bytes).toBeGreaterThanOrEqual(216 + 32 + 32);
    expect(rep.total.code_bytes).toBeGreaterThan(200);
    expect(rep.total.flash_bytes).toBe(rep.total.weights_bytes + rep.total.code_bytes);
    expect(rep.total.arena_bytes).toBeGreaterThanOrEqual(8 * 8 * 3 + 8 * 8 * 8);
    expect(rep.total.stack_bytes).toBeGreaterThan(0);
    expect(rep.total.stack_bytes).toBeLessThan(2048);
  });
});
