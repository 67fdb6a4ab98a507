/**
 * The Arm kernels under QEMU: the DSP path on Cortex-M4 and the Helium path
 * on Cortex-M55, bit-exact with the interpreter (= the portable kernels)
 * over the whole grid, every graph and case in one firmware image per core
 * (no counting plugin, so it is quick).
 */
import { verifyOnMcu } from '../../src/backend/mcu/verify.js';
import { resolveTarget } from '../../src/targets/load.js';
import { randomCases } from '../backend/util.js';
import { armGrid } from './grid.js';

describe.each(['cortex-m4', 'cortex-m55'])('arm kernels on %s', (name) => {
  test('the grid is bit-exact with the interpreter', async () => {
    const items = armGrid().map((graph, i) => ({ graph, cases: randomCases(graph, 2, 90 + i), options: { variant: 'arm' as const } }));
    const rep = await verifyOnMcu(resolveTarget(name), items);
    expect(rep.runErrors).toEqual([]);
    expect(rep.mismatches).toEqual([]);
    expect(rep.ok).toBe(true);
  }, 600_000);
});
