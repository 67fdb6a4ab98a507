import { GraphBuilder } from '../../src/ir/builder.js';
import { resolveWindow, type Padding } from '../../src/ops/common.js';
import { checkCases, type KCase } from './harness.js';
import { actFormat, actValues, layerOpts } from './gen.js';
import { Rng } from '../../src/util/rng.js';

function convCase(rng: Rng, i: number): KCase {
  for (;;) {
    const H = rng.int(1, 7);
    const W = rng.int(1, 7);
    const kind = rng.pick(['dense', 'depthwise', 'grouped'] as const);
    const groups = kind === 'dense' ? 1 : kind === 'depthwise' ? rng.int(1, 5) : rng.int(2, 3);
    const Cin = kind === 'depthwise' ? groups : groups * rng.int(1, 3);
    const Cout = groups * rng.int(1, 3);
    const KH = rng.int(1, 3);
    const KW = rng.int(1, 3);
    const strides: [number, number] = [rng.int(1, 3), rng.int(1, 3)];
    const dilations: [number, number] = rng.next() < 0.7 ? [1, 1] : [rng.int(1, 2), rng.int(1, 3)];
    const pr = rng.next();
    const padding: Padding = pr < 0.3 ? 'valid' : pr < 0.6 ? 'same' : [rng.int(0, 2), rng.int(0, 2), rng.int(0, 2), rng.int(0, 2)];
    const win = resolveWindow(H, W, { kh: KH, kw: KW, strides, dilations, padding });
    if (win.outH <= 0 || win.outW <= 0) continue;

    const flx = rng.int(0, 8);
    const perChannel = rng.next() < 0.4;
    const flw = perChannel ? rng.ints(Cout, 0, 7) : rng.int(0, 7);
    const flwMin = typeof flw === 'number' ? flw : Math.min(...flw);
    // n = FL_x + FL_w - FL_out: mostly right shifts, some left shifts (saturating).
    const flo = rng.next() < 0.15 ? flx + flwMin + rng.int(1, 4) : rng.int(0, 8);
    const xf = actFormat(rng, flx);
    const of = actFormat(rng, flo);
    const b = new GraphBuilder(`conv${i}`);
    const x = b.input('x', [1, H, W, Cin], xf);
    const w = b.const('w', [Cout, KH, KW, Cin / groups], { fl: flw }, rng.ints(Cout * KH * KW * (Cin / groups), -128, 127));
    const inputs = [x, w];
    const biasMode = rng.next();
    if (biasMode < 0.7) {
      // Bias at FL_x + FL_w[c]; sometimes near the int32 limits to exercise the 2^32 wrap.
      const big = biasMode < 0.1;
      const bias = Array.from({ length: Cout }, () => (big ? rng.pick([2147483647 - rng.int(0, 3000), -2147483648 + rng.int(0, 3000)]) : rng.int(-40000, 40000)));
      const bfl = typeof flw === 'number' ? flx + flw : flw.map((f) => flx + f);
      inputs.push(b.const('b', [Cout], { dtype: 'int32', fl: bfl }, bias));
    }
    const opts = layerOpts(rng, of.dtype);
    b.layer('conv', 'conv2d', inputs, { name: 'y', ...of }, { strides, dilations, padding, groups }, opts);
    b.output('y');
    const g = b.build();
    const label = `${H}x${W}x${Cin}->${Cout} k${KH}x${KW} s${strides} d${dilations} p${JSON.stringify(padding)} g${groups} ${xf.dtype}/${of.dtype} fl ${flx},${JSON.stringify(flw)}->${flo} ${opts.rounding}`;
    return { label, graph: g, inputs: new Map([['x', actValues(rng, H * W * Cin, xf)]]) };
  }
}

describe('runtime-c conv2d', () => {
  test('f8_conv2d_{s8,u8} is bit-exact with conv2d.eval over a random grid', async () => {
    const rng = new Rng(0xc0417);
    const cases = Array.from({ length: 300 }, (_, i) => convCase(rng, i));
    expect(await checkCases(cases)).toEqual([]);
  });
});
