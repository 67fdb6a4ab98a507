/** Random formats shared by the kernel tests. */
import { DTYPE_RANGE, ROUNDINGS, type Clamp, type DType, type Rounding } from '../../src/ir/types.js';
import type { FormatSpec } from '../../src/ir/builder.js';
import type { Rng } from '../../src/util/rng.js';

export const ACT_DTYPES: readonly DType[] = ['int8', 'uint8'];

/** An activation format: dtype, FL, and sometimes a narrower [qmin, qmax] (F8Net's signed [-127, 127]). */
export function actFormat(rng: Rng, fl: number, dtype: DType = rng.pick(ACT_DTYPES)): FormatSpec {
  const [lo, hi] = DTYPE_RANGE[dtype];
  const f: FormatSpec = { dtype, fl };
  if (dtype === 'int8' && rng.next() < 0.3) return { ...f, qmin: -127, qmax: 127 };
  if (rng.next() < 0.1) return { ...f, qmin: lo + rng.int(0, 20), qmax: hi - rng.int(0, 20) };
  return f;
}

/** Input values over the format's range. */
export function actValues(rng: Rng, n: number, f: FormatSpec): number[] {
  const [lo, hi] = DTYPE_RANGE[f.dtype ?? 'int8'];
  return rng.ints(n, f.qmin ?? lo, f.qmax ?? hi);
}

/** Layer options: a random rounding mode and sometimes a fused clamp (relu-like or narrow). */
export function layerOpts(rng: Rng, outDtype: DType | undefined): { rounding: Rounding; clamp?: Clamp } {
  const rounding = rng.pick(ROUNDINGS);
  const r = rng.next();
  if (r < 0.15) return { rounding, clamp: { lo: 0, hi: 10_000 } };
  if (r < 0.25) {
    const [lo, hi] = DTYPE_RANGE[outDtype ?? 'int8'];
    const a = rng.int(lo, hi);
    const b = rng.int(lo, hi);
    return { rounding, clamp: { lo: Math.min(a, b), hi: Math.max(a, b) } };
  }
  return { rounding };
}
