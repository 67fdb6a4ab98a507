/**
 * Binding .npy files to model inputs and outputs: layout (NHWC/NCHW),
 * batching (a leading N where the model has batch 1) and quantisation of
 * float data with the input's format.
 */
import { fail } from '../diag/diagnostic.js';
import { numel, type Graph, type Tensor } from '../ir/types.js';
import type { NpyArray } from '../util/npy.js';
import { quantizeValue } from '../util/quantize.js';

export type Layout = 'nhwc' | 'nchw';

/** Splits repeated `--input` values into name -> file (a bare FILE binds the only input). */
export function bindFiles(values: string[], names: string[], flag: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const v of values) {
    const eq = v.indexOf('=');
    const named = eq > 0 && names.includes(v.slice(0, eq));
    if (named) m.set(v.slice(0, eq), v.slice(eq + 1));
    else if (names.length === 1) m.set(names[0]!, v);
    else fail('F8E072', `${flag} ${v}: this model has several (${names.join(', ')}); write ${flag} NAME=FILE`, { field: flag });
  }
  return m;
}

/** NCHW <-> NHWC permutation of one item's elements (rank-4 only). */
export function permute(data: ArrayLike<number>, shapeNhwc: number[], toNhwc: boolean): number[] {
  const [, H, W, C] = shapeNhwc as [number, number, number, number];
  const out = new Array<number>(data.length);
  for (let c = 0; c < C; c++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const nhwc = (y * W + x) * C + c;
        const nchw = (c * H + y) * W + x;
        if (toNhwc) out[nhwc] = data[nchw]!;
        else out[nchw] = data[nhwc]!;
      }
  return out;
}

function layoutShape(t: Tensor, layout: Layout): number[] {
  if (layout === 'nchw' && t.shape.length === 4) return [t.shape[0]!, t.shape[3]!, t.shape[1]!, t.shape[2]!];
  return t.shape;
}

/** Splits an .npy array into quantised NHWC items for input tensor `t`. */
export function itemsFor(t: Tensor, a: NpyArray, file: string, layout: Layout): number[][] {
  const want = layoutShape(t, layout);
  const per = numel(t.shape);
  const same = a.shape.length === want.length && a.shape.every((d, i) => i === 0 || d === want[i]);
  if (!same) {
    fail('F8E071', `'${file}' has shape [${a.shape}]; input '${t.name}' takes [N, ${want.slice(1).join(', ')}] (${layout.toUpperCase()})`, { file, field: t.name });
  }
  const isFloat = a.dtype === 'float32' || a.dtype === 'float64';
  if (!isFloat && a.dtype !== t.dtype) {
    fail('F8E071', `'${file}' holds ${a.dtype}; input '${t.name}' is ${t.dtype} (give ${t.dtype} data already quantised, or float32 to quantise)`, { file, field: t.name });
  }
  const items: number[][] = [];
  const n = a.shape[0] ?? 0;
  for (let i = 0; i < n; i++) {
    let item = Array.from(a.data.subarray(i * per, (i + 1) * per));
    if (isFloat) item = item.map((x) => quantizeValue(x, t.quant));
    if (layout === 'nchw' && t.shape.length === 4) item = permute(item, t.shape, true);
    items.push(item);
  }
  return items;
}

/** Stacks N output items (NHWC) into an .npy array in the given layout. */
export function stackOutputs(t: Tensor, items: ArrayLike<number>[], layout: Layout): NpyArray {
  const per = numel(t.shape);
  const data = t.dtype === 'uint8' ? new Uint8Array(items.length * per) : t.dtype === 'int16' ? new Int16Array(items.length * per) : new Int8Array(items.length * per);
  items.forEach((it, i) => data.set(layout === 'nchw' && t.shape.length === 4 ? permute(it, t.shape, false) : Array.from(it), i * per));
  const shape = [items.length, ...layoutShape(t, layout).slice(1)];
  return { dtype: t.dtype as NpyArray['dtype'], shape, data };
}

export function modelLayout(g: Graph, flag: string | undefined): Layout {
  if (flag === undefined) return g.source.layout;
  if (flag !== 'nhwc' && flag !== 'nchw') fail('F8E072', `--layout ${flag}: use nhwc or nchw`, { field: '--layout' });
  return flag as Layout;
}
