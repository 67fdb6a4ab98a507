/** Small graphs for the backend tests, built in code. */
import { GraphBuilder } from '../../src/ir/builder.js';
import type { Graph } from '../../src/ir/types.js';

export function tinyNet(name = 'Tiny Net', clamp = true): Graph {
  const b = new GraphBuilder(name);
  const x = b.input('x', [1, 5, 5, 2], { fl: 7 });
  const w = b.const('w', [3, 3, 3, 2], { fl: 7 }, Array.from({ length: 54 }, (_, i) => ((i * 37) % 255) - 127));
  const bias = b.const('b', [3], { dtype: 'int32', fl: 14 }, [100, -2147483648, 5]);
  const y = b.layer('conv 1', 'conv2d', [x, w, bias], { name: 'y', fl: 5 }, { padding: 'same' }, clamp ? { clamp: { lo: 0, hi: 127 } } : {});
  const w2 = b.const('w2', [4, 1, 1, 3], { fl: [6, 7, 5, 7] }, Array.from({ length: 12 }, (_, i) => i * 9 - 50));
  const z = b.layer('pw', 'conv2d', [y, w2], { name: 'z', dtype: 'uint8', fl: 4 }, {}, { rounding: 'half_away' });
  b.output(z);
  return b.build();
}
