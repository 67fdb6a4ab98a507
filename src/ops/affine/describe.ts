/** `f8c inspect` text of affine tensors: "s8 S0.0039 Z-128", "s8 S[8] Z0". */
import { DTYPE_RANGE, type AffineQuant, type Tensor } from '../../ir/types.js';

const SHORT = { int8: 's8', uint8: 'u8', int16: 's16', int32: 's32' } as const;

function num(v: number): string {
  return Number(v.toPrecision(4)).toString();
}

export function formatAffine(t: Tensor, q: AffineQuant): string {
  const s = typeof q.scale === 'number' ? `S${num(q.scale)}` : `S[${q.scale.length}]`;
  const [lo, hi] = DTYPE_RANGE[t.dtype];
  const range = q.qmin !== lo || q.qmax !== hi ? ` [${q.qmin},${q.qmax}]` : '';
  return `${SHORT[t.dtype]} ${s} Z${q.zeroPoint}${range}`;
}
