/**
 * Seeded random DAGs of conv2d layers (any earlier tensor may feed a layer,
 * several outputs), for bit-exactness and memory-plan tests through the C
 * backend while other ops are without a C lowering.
 */
import { GraphBuilder } from '../../src/ir/builder.js';
import { ROUNDINGS, flAt, type DType, type Graph } from '../../src/ir/types.js';
import { resolveWindow } from '../../src/ops/common.js';
import { Rng } from '../../src/util/rng.js';

interface Act {
  name: string;
  shape: number[];
  fl: number;
  dtype: DType;
  uses: number;
}

export function randomConvDag(seed: number, maxLayers = 7): Graph {
  const rng = new Rng(seed);
  const b = new GraphBuilder(`dag${seed}`);
  const dtype = (): DType => (rng.next() < 0.5 ? 'int8' : 'uint8');
  const inDtype = dtype();
  const shape = [1, rng.int(2, 9), rng.int(2, 9), rng.int(1, 6)];
  const x: Act = { name: b.input('x', shape, { dtype: inDtype, fl: rng.int(4, 8) }), shape, fl: 0, dtype: inDtype, uses: 0 };
  x.fl = flAt(b.build().tensors.get('x')!.quant);
  const acts: Act[] = [x];
  const n = rng.int(1, maxLayers);
  for (let i = 0; i < n; i++) {
    const src = rng.next() < 0.7 ? acts[acts.length - 1]! : rng.pick(acts);
    const [, H, W, cin] = src.shape as [number, number, number, number];
    const depthwise = rng.next() < 0.25;
    const groups = depthwise ? cin : 1;
    const cout = depthwise ? cin * rng.int(1, 2) : rng.int(1, 8);
    const kh = rng.int(1, 3);
    const kw = rng.int(1, 3);
    const strides: [number, number] = [rng.int(1, 2), rng.int(1, 2)];
    const dil: [number, number] = [rng.next() < 0.2 ? 2 : 1, 1];
    const padding = rng.pick(['same', 'valid', 'explicit'] as const);
    const pad = padding === 'explicit' ? [rng.int(0, 2), rng.int(0, 2), rng.int(0, 2), rng.int(0, 2)] as [number, number, number, number] : padding;
    const win = resolveWindow(H, W, { kh, kw, strides, dilations: dil, padding: pad });
    if (win.outH <= 0 || win.outW <= 0 || win.top >= dil[0] * (kh - 1) + 1 || win.left >= kw) continue;
    const perChannel = rng.next() < 0.3;
    const wfl: number | number[] = perChannel ? Array.from({ length: cout }, () => rng.int(4, 8)) : rng.int(4, 8);
    const w = b.const(`w${i}`, [cout, kh, kw, cin / groups], { fl: wfl }, rng.ints(cout * kh * kw * (cin / groups), -127, 127));
    const inputs = [src.name, w];
    const accFl = (c: number) => src.fl + (typeof wfl === 'number' ? wfl : wfl[c]!);
    if (rng.next() < 0.7) inputs.push(b.const(`b${i}`, [cout], { dtype: 'int32', fl: typeof wfl === 'number' ? accFl(0) : wfl.map((_, c) => accFl(c)) }, rng.ints(cout, -5000, 5000)));
    const odt = dtype();
    const ofl = rng.int(2, 8);
    const clamp = rng.next() < 0.3 ? { clamp: { lo: odt === 'int8' ? rng.int(-20, 0) : 0, hi: rng.int(40, 127) } } : {};
    const name = b.layer(`conv${i}`, 'conv2d', inputs, { name: `t${i}`, fl: ofl, dtype: odt }, { strides, dilations: dil, padding: pad, groups }, { rounding: rng.pick(ROUNDINGS), ...clamp });
    src.uses++;
    acts.push({ name, shape: b.build().tensors.get(name)!.shape, fl: ofl, dtype: odt, uses: 0 });
  }
  const last = acts[acts.length - 1]!;
  const outs = acts.slice(1).filter((a) => a === last || (a.uses === 0 && rng.next() < 0.6));
  if (outs.length === 0) outs.push(x);
  b.output(...outs.map((a) => a.name));
  return b.build();
}
