/**
 * Seeded random graphs for property and golden tests: small NHWC feature
 * maps through a random chain of layers (with residual adds and concats to
 * earlier tensors), ending in a dense head. Formats are random but always
 * valid (every shift within the runtime's limits), so every graph passes the
 * loader's checks; rounding modes are random per layer.
 */
import { GraphBuilder } from '../ir/builder.js';
import { resolveWindow } from '../ops/common.js';
import { ROUNDINGS, flAt, type DType, type Graph } from '../ir/types.js';
import { Rng } from '../util/rng.js';

/** Keeps activation formats in a band where every shift stays small. */
function clampFl(fl: number): number {
  return Math.max(-4, Math.min(12, fl));
}

interface Act {
  name: string;
  shape: number[];
  fl: number;
  dtype: DType;
}

export interface RandomGraphOptions {
  /** Layers in the feature part (before the head). */
  maxLayers?: number;
  maxSize?: number;
  maxChannels?: number;
}

export function randomGraph(seed: number, opts: RandomGraphOptions = {}): Graph {
  const rng = new Rng(seed);
  const maxLayers = opts.maxLayers ?? 6;
  const b = new GraphBuilder(`rand${seed}`);
  let id = 0;
  const fresh = (p: string) => `${p}${id++}`;
  const dtype = (): DType => (rng.next() < 0.5 ? 'int8' : 'uint8');
  const rounding = () => ({ rounding: rng.pick(ROUNDINGS) });
  const H = rng.int(3, opts.maxSize ?? 9);
  const W = rng.int(3, opts.maxSize ?? 9);
  const C = rng.int(1, opts.maxChannels ?? 6);
  const inDtype = dtype();
  const acts: Act[] = [{ name: b.input('x', [1, H, W, C], { dtype: inDtype, fl: rng.int(3, 8) }), shape: [1, H, W, C], fl: 0, dtype: inDtype }];
  acts[0]!.fl = flAt(b.build().tensors.get('x')!.quant);
  let cur = acts[0]!;

  const push = (name: string, fl: number, dt: DType, g: GraphBuilder) => {
    const t = g.build().tensors.get(name)!;
    cur = { name, shape: t.shape, fl, dtype: dt };
    acts.push(cur);
  };

  const addConv = (depthwise: boolean) => {
    const cin = cur.shape[3]!;
    const groups = depthwise ? cin : rng.next() < 0.2 && cin % 2 === 0 ? 2 : 1;
    const cout = depthwise ? cin * rng.int(1, 2) : rng.int(1, opts.maxChannels ?? 6) * (groups === 2 ? 2 : 1);
    const k = rng.int(1, 3);
    const dil = k > 1 && rng.next() < 0.2 ? 2 : 1;
    const span = dil * (k - 1) + 1;
    const pad = rng.pick(['same', 'valid', 'explicit'] as const);
    const padding = pad === 'explicit' ? ([rng.int(0, 1), rng.int(0, 1), rng.int(0, 1), rng.int(0, 1)] as [number, number, number, number]) : pad;
    const strides: [number, number] = [rng.int(1, 2), rng.int(1, 2)];
    const win = resolveWindow(cur.shape[1]!, cur.shape[2]!, { kh: k, kw: k, strides, dilations: [dil, dil], padding });
    if (win.outH <= 0 || win.outW <= 0 || span > cur.shape[1]! + win.top + win.bottom || span > cur.shape[2]! + win.left + win.right) return;
    const perChannel = rng.next() < 0.3;
    const wfl = perChannel ? Array.from({ length: cout }, () => rng.int(4, 8)) : rng.int(4, 8);
    const cinG = cin / groups;
    const w = b.const(fresh('w'), [cout, k, k, cinG], { fl: wfl, qmin: -127, qmax: 127 }, rng.ints(cout * k * k * cinG, -127, 127));
    const bfl = perChannel ? (wfl as number[]).map((f) => f + cur.fl) : (wfl as number) + cur.fl;
    const bias = b.const(fresh('b'), [cout], { dtype: 'int32', fl: bfl }, rng.ints(cout, -4096, 4096));
    const minAcc = cur.fl + (perChannel ? Math.min(...(wfl as number[])) : (wfl as number));
    const fl = clampFl(minAcc - rng.int(6, 11));
    const dt = dtype();
    const name = fresh('conv');
    b.layer(name, 'conv2d', [cur.name, w, bias], { name: fresh('t'), fl, dtype: dt }, { padding, strides, dilations: [dil, dil], groups }, rounding());
    push(b.build().layers.at(-1)!.outputs[0]!, fl, dt, b);
  };

  const steps: (() => void)[] = [
    () => addConv(false),
    () => addConv(true),
    () => {
      const op = rng.pick(['relu', 'relu6'] as const);
      const fl = rng.next() < 0.6 ? cur.fl : clampFl(cur.fl + rng.int(-2, 2));
      const dt = rng.next() < 0.5 ? 'uint8' : cur.dtype;
      b.layer(fresh(op), op, [cur.name], { name: fresh('t'), fl, dtype: dt }, {}, rounding());
      push(b.build().layers.at(-1)!.outputs[0]!, fl, dt, b);
    },
    () => {
      const op = rng.pick(['max_pool', 'avg_pool'] as const);
      const k = rng.int(2, 3);
      if (k > cur.shape[1]! || k > cur.shape[2]!) return;
      const attrs: Record<string, unknown> = { kernel: [k, k], strides: [rng.int(1, 2), rng.int(1, 2)], padding: rng.pick(['same', 'valid'] as const) };
      if (op === 'avg_pool') attrs.count_include_pad = rng.next() < 0.5;
      const fl = clampFl(cur.fl + rng.int(-2, 2));
      const dt = cur.dtype;
      b.layer(fresh(op), op, [cur.name], { name: fresh('t'), fl, dtype: dt }, attrs, rounding());
      push(b.build().layers.at(-1)!.outputs[0]!, fl, dt, b);
    },
    () => {
      const other = acts.filter((a) => a !== cur && a.shape.join() === cur.shape.join());
      if (other.length === 0) return;
      const o = rng.pick(other);
      const fl = clampFl(Math.min(cur.fl, o.fl) - rng.int(0, 2));
      const dt = dtype();
      b.layer(fresh('add'), 'add', [cur.name, o.name], { name: fresh('t'), fl, dtype: dt }, {}, rounding());
      push(b.build().layers.at(-1)!.outputs[0]!, fl, dt, b);
    },
    () => {
      const other = acts.filter((a) => a !== cur && a.shape.slice(0, 3).join() === cur.shape.slice(0, 3).join());
      if (other.length === 0) return;
      const o = rng.pick(other);
      const fl = clampFl(Math.min(cur.fl, o.fl) + rng.int(-1, 1));
      const dt = dtype();
      b.layer(fresh('concat'), 'concat', [cur.name, o.name], { name: fresh('t'), fl, dtype: dt }, { axis: -1 }, rounding());
      push(b.build().layers.at(-1)!.outputs[0]!, fl, dt, b);
    },
    () => {
      const pads = [[0, 0], [rng.int(0, 2), rng.int(0, 2)], [rng.int(0, 2), rng.int(0, 2)], [0, 0]];
      b.layer(fresh('pad'), 'pad', [cur.name], { name: fresh('t'), fl: cur.fl, dtype: cur.dtype }, { pads }, rounding());
      push(b.build().layers.at(-1)!.outputs[0]!, cur.fl, cur.dtype, b);
    },
  ];

  const n = rng.int(1, maxLayers);
  for (let i = 0; i < n; i++) rng.pick(steps)();

  // Head: global average pool or flatten, then dense, then maybe an activation.
  let flat: Act;
  if (rng.next() < 0.5) {
    const fl = clampFl(cur.fl + rng.int(-1, 2));
    const name = b.layer(fresh('gap'), 'global_avg_pool', [cur.name], { name: fresh('t'), fl, dtype: cur.dtype }, {}, rounding());
    push(name, fl, cur.dtype, b);
  }
  {
    const name = b.layer(fresh('flatten'), 'flatten', [cur.name], { name: fresh('t'), fl: cur.fl, dtype: cur.dtype });
    push(name, cur.fl, cur.dtype, b);
    flat = cur;
  }
  const k = flat.shape[1]!;
  const nOut = rng.int(2, 10);
  const wfl = rng.int(5, 8);
  const w = b.const(fresh('w'), [nOut, k], { fl: wfl, qmin: -127, qmax: 127 }, rng.ints(nOut * k, -127, 127));
  const bias = b.const(fresh('b'), [nOut], { dtype: 'int32', fl: flat.fl + wfl }, rng.ints(nOut, -4096, 4096));
  const outFl = clampFl(flat.fl + wfl - rng.int(7, 12));
  const head = b.layer(fresh('dense'), 'dense', [flat.name, w, bias], { name: fresh('t'), fl: outFl, dtype: 'int8' }, {}, rounding());
  push(head, outFl, 'int8', b);
  const tail = rng.int(0, 3);
  if (tail === 1) push(b.layer(fresh('softmax'), 'softmax', [cur.name], { name: fresh('t'), fl: 8, dtype: 'uint8' }, {}, rounding()), 8, 'uint8', b);
  if (tail === 2) push(b.layer(fresh('sig'), 'pocket_sigmoid', [cur.name], { name: fresh('t'), fl: 7, dtype: 'int8', qmin: 1, qmax: 127 }, {}, rounding()), 7, 'int8', b);
  if (tail === 3) push(b.layer(fresh('tanh'), 'pocket_tanh', [cur.name], { name: fresh('t'), fl: 7, dtype: 'int8', qmin: -127, qmax: 127 }, {}, rounding()), 7, 'int8', b);
  b.output(cur.name);
  return b.build();
}
