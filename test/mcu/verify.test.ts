/** f8c verify on Cortex-M: generated C under QEMU, every output byte against the interpreter. */
import { verifyOnMcu } from '../../src/backend/mcu/verify.js';
import { GraphBuilder } from '../../src/ir/builder.js';
import { resolveTarget } from '../../src/targets/load.js';
import { randomCases } from '../backend/util.js';

function tinyNet() {
  const b = new GraphBuilder('tiny');
  const x = b.input('x', [1, 5, 5, 2], { fl: 7 });
  const w = b.const('w', [3, 3, 3, 2], { fl: 7 }, Array.from({ length: 54 }, (_, i) => ((i * 37) % 255) - 127));
  const bias = b.const('b', [3], { dtype: 'int32', fl: 14 }, [100, -2147483648, 5]);
  const y = b.layer('conv 1', 'conv2d', [x, w, bias], { name: 'y', fl: 5 }, { padding: 'same' }, { clamp: { lo: 0, hi: 127 } });
  const w2 = b.const('w2', [4, 1, 1, 3], { fl: [6, 7, 5, 7] }, Array.from({ length: 12 }, (_, i) => i * 9 - 50));
  const z = b.layer('pw', 'conv2d', [y, w2], { name: 'z', dtype: 'uint8', fl: 4 }, {}, { rounding: 'half_away' });
  b.output(z);
  return b.build();
}

describe.each(['cortex-m0plus', 'cortex-m4', 'cortex-m55'])('verify on %s', (name) => {
  test('a two-conv net, 20 cases in one image', async () => {
    const g = tinyNet();
    const rep = await verifyOnMcu(resolveTarget(name), [{ graph: g, cases: randomCases(g, 20, 7) }]);
    expect(rep.runErrors).toEqual([]);
    expect(rep.mismatches).toEqual([]);
    expect(rep.ok).toBe(true);
    expect(rep.cases).toBe(20);
    expect(rep.images).toBe(1);
    expect(rep.outputBytes).toBe(20 * 5 * 5 * 4);
    expect(rep.board).toBe(resolveTarget(name).target.boards[0]!.name);
  });
});
