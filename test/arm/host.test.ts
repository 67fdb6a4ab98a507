/**
 * The Arm kernels' plain-C path (what M0+/M3 and the host build) against the
 * interpreter over the grid, strict and sanitised host gcc builds; and the
 * TypeScript scratch sizes against the C `_scratch_size` functions.
 */
import { verifyOnHost } from '../../src/backend/c/verify.js';
import { compileModel } from '../../src/backend/c/compile.js';
import { randomCases } from '../backend/util.js';
import { armGrid } from './grid.js';

describe('arm kernels, plain-C path on the host', () => {
  const grid = armGrid();

  test('the grid is bit-exact with the interpreter (strict and ASan/UBSan)', async () => {
    const items = grid.map((graph, i) => ({ graph, cases: randomCases(graph, 3, 50 + i), options: { variant: 'arm' as const } }));
    const rep = await verifyOnHost(items);
    for (const b of rep.builds) {
      expect(b.compileLog ?? '').toBe('');
      expect(b.runError ?? '').toBe('');
      expect(b.mismatches).toEqual([]);
    }
    expect(rep.ok).toBe(true);
  }, 240_000);

  test('arm lowering uses runtime-c/arm sources, the same tables and a scratch', () => {
    for (const g of grid) {
      const p = compileModel(g, { variant: 'portable' });
      const a = compileModel(g, { variant: 'arm' });
      expect(a.files.get(`${a.view.prefix}_weights.c`)).toBe(p.files.get(`${p.view.prefix}_weights.c`));
      expect([...a.files.keys()].some((f) => f.endsWith('_arm.c'))).toBe(true);
      expect([...a.files.keys()].some((f) => f === 'f8_conv2d.c' || f === 'f8_dense.c')).toBe(false);
    }
  });
});
