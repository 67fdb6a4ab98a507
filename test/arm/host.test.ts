/**
 * The Arm kernels' plain-C path (what M0+/M3 and the host build) against the
 * interpreter over the grid, strict and sanitised host gcc builds; and the
 * TypeScript scratch sizes against the C `_scratch_size` functions.
 */
import { verifyOnHost } from '../../src/backend/c/verify.js';
import { compileModel } from '../../src/backend/c/compile.js';
import { randomCases } from '../backend/util.js';
import { armGrid } from './grid.js';
import { affineArmGrid, affineCases } from './affine-grid.js';
import { getTensor } from '../../src/ir/types.js';

/** Builds and runs the items on the host: no compiler message, no run error, no differing byte. */
async function expectBitExact(items: Parameters<typeof verifyOnHost>[0]): Promise<void> {
  const rep = await verifyOnHost(items);
  for (const b of rep.builds) {
    expect(b.compileLog ?? '').toBe('');
    expect(b.runError ?? '').toBe('');
    expect(b.mismatches).toEqual([]);
  }
  expect(rep.ok).toBe(true);
}

describe('arm kernels, plain-C path on the host', () => {
  const grid = armGrid();

  test('the grid is bit-exact with the interpreter (strict and ASan/UBSan)', async () => {
    const items = grid.map((graph, i) => ({ graph, cases: randomCases(graph, 3, 50 + i), options: { variant: 'arm' as const } }));
    await expectBitExact(items);
  }, 240_000);

  test('the affine grid is bit-exact with the interpreter (strict and ASan/UBSan)', async () => {
    const items = affineArmGrid().map((graph, i) => ({ graph, cases: affineCases(graph, 2, 150 + i), options: { variant: 'arm' as const } }));
    await expectBitExact(items);
  }, 240_000);

  test('affine arm lowering: the arm sources, the portable tables with the weights permuted', () => {
    for (const g of affineArmGrid()) {
      const p = compileModel(g, { variant: 'portable' });
      const a = compileModel(g, { variant: 'arm' });
      // the same tables, plus at most one layout byte after the weights of each groups-1 conv2d
      const layoutBytes = g.layers.filter((l) => l.op === 'conv2d' && ((l.attrs as { groups?: number }).groups ?? 1) === 1).length;
      expect(a.view.tableBytes - p.view.tableBytes).toBeGreaterThanOrEqual(0);
      expect(a.view.tableBytes - p.view.tableBytes).toBeLessThanOrEqual(layoutBytes);
      expect([...a.files.keys()]).toContain('f8_tfl_mac_arm.c');
      expect([...a.files.keys()]).not.toContain('f8_tfl_mac.c');
    }
  });

  test('arm lowering uses runtime-c/arm sources, one byte per weight, and a scratch', () => {
    for (const g of grid) {
      const p = compileModel(g, { variant: 'portable' });
      const a = compileModel(g, { variant: 'arm' });
      const size = (m: typeof p) => m.view.tableBytes;
      const cout = g.layers[0]!.op === 'conv2d' ? getTensor(g, g.layers[0]!.inputs[1]!).shape[0]! : 0;
      // the arm conv2d always has a (rounding-folded) bias table: at most 4 bytes per output channel more,
      // and packable shapes one layout byte after the weights
      expect(size(a) - size(p)).toBeLessThanOrEqual(4 * cout + 1);
      expect(size(a)).toBeGreaterThanOrEqual(size(p));
      expect([...a.files.keys()].some((f) => f.endsWith('_arm.c'))).toBe(true);
      expect([...a.files.keys()].some((f) => f === 'f8_conv2d.c' || f === 'f8_dense.c')).toBe(false);
    }
  });
});
