/**
 * The Arm kernels under QEMU: the DSP path on Cortex-M4 and the Helium path
 * on Cortex-M55, bit-exact with the interpreter (= the portable kernels)
 * over the whole grid and a third of the affine grid (affine-grid.ts: every
 * shape once, the formats in turn; the whole affine grid runs on the host);
 * one firmware image per graph, no counting plugin.
 */
import { verifyOnMcu } from '../../src/backend/mcu/verify.js';
import { resolveTarget } from '../../src/targets/load.js';
import { randomCases } from '../backend/util.js';
import { armGrid } from './grid.js';
import { affineCases, affineMcuGrid } from './affine-grid.js';

/** Builds and runs the items under QEMU on core `name`: no run error, no differing byte. */
async function expectBitExact(name: string, items: Parameters<typeof verifyOnMcu>[1]): Promise<void> {
  const rep = await verifyOnMcu(resolveTarget(name), items);
  expect(rep.runErrors).toEqual([]);
  expect(rep.mismatches).toEqual([]);
  expect(rep.ok).toBe(true);
}

describe.each(['cortex-m4', 'cortex-m55'])('arm kernels on %s', (name) => {
  test('the grid is bit-exact with the interpreter', async () => {
    const items = armGrid().map((graph, i) => ({ graph, cases: randomCases(graph, 2, 90 + i), options: { variant: 'arm' as const } }));
    await expectBitExact(name, items);
  }, 900_000);

  test('the affine grid (every shape, formats in turn) is bit-exact with the interpreter', async () => {
    const items = affineMcuGrid().map((graph, i) => ({ graph, cases: affineCases(graph, 1, 190 + i), options: { variant: 'arm' as const } }));
    await expectBitExact(name, items);
  }, 300_000);
});
