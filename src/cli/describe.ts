/** Human-readable descriptions of tensors and layers, shared by CLI commands. */
import { DTYPE_RANGE, isPerChannel, tensorBytes, type Graph, type Layer, type Tensor } from '../ir/types.js';
import { opCtx } from '../ops/context.js';
import { getOp } from '../ops/registry.js';
import { formatAffine } from '../ops/affine/describe.js';

const SHORT = { int8: 's8', uint8: 'u8', int16: 's16', int32: 's32' } as const;

/** "u8 FL8", "s8 FL7 [-127,127]", "s8 FL[5..7]". */
export function formatOf(t: Tensor): string {
  const q = t.quant;
  if (q.kind === 'affine') return formatAffine(t, q);
  const fl = isPerChannel(q) ? `FL[${Math.min(...(q.fl as number[]))}..${Math.max(...(q.fl as number[]))}]` : `FL${q.fl}`;
  const [lo, hi] = DTYPE_RANGE[t.dtype];
  const range = q.qmin !== lo || q.qmax !== hi ? ` [${q.qmin},${q.qmax}]` : '';
  return `${SHORT[t.dtype]} ${fl}${range}`;
}

export function shapeOf(t: Tensor): string {
  return t.shape.join('x');
}

export interface LayerFacts {
  macs: number;
  paramBytes: number;
  /** Worst-case |accumulator|, for ops that accumulate. */
  accMax?: number;
}

export function layerFacts(g: Graph, l: Layer): LayerFacts {
  const ctx = opCtx(g, l);
  const op = getOp(l.op);
  const paramBytes = ctx.inputs.filter((t) => t.data).reduce((s, t) => s + tensorBytes(t), 0);
  return { macs: op.macs(ctx), paramBytes, accMax: op.accBound?.(ctx).maxAbs };
}

/** "int16" when it fits 16 bits, "int32" when 32, "overflow!" beyond (the loader warned). */
export function accClass(maxAbs: number | undefined): string {
  if (maxAbs === undefined) return '-';
  const bits = maxAbs === 0 ? 0 : Math.log2(maxAbs);
  const cls = maxAbs <= 32767 ? 'int16' : maxAbs <= 2147483647 ? 'int32' : 'OVERFLOW';
  return `2^${bits.toFixed(1)} ${cls}`;
}
