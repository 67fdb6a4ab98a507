/** Pieces the affine (TFLite) semantics of several ops share. */
import type { Quant, Tensor } from '../../ir/types.js';

/** Same affine parameters (scale(s), zero point, axis, range). */
export function sameAffine(p: Quant, q: Quant): boolean {
  if (p.kind !== 'affine' || q.kind !== 'affine') return false;
  const a = typeof p.scale === 'number' ? [p.scale] : p.scale;
  const b = typeof q.scale === 'number' ? [q.scale] : q.scale;
  return (
    a.length === b.length && a.every((v, i) => v === b[i]) && p.zeroPoint === q.zeroPoint &&
    (p.axis ?? 0) === (q.axis ?? 0) && p.qmin === q.qmin && p.qmax === q.qmax
  );
}

/** True when the layer is on the affine path: its first input or its output is affine. */
export function affineLayer(inputs: readonly Tensor[], outputs: readonly Tensor[]): boolean {
  return inputs[0]?.quant.kind === 'affine' || outputs[0]?.quant.kind === 'affine';
}
