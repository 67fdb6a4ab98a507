/**
 * Affine (TFLite int8) semantics of add, avg_pool and max_pool, as TFLite
 * Micro's reference kernels compute them.
 *
 * add: left shift 20; (M1, s1) = QM(S1 / 2max(S1, S2)), (M2, s2) likewise,
 * (Mo, so) = QM(2max(S1, S2) / (2^20 * S_out)), all in double;
 *   out = clamp(MBQM(MBQM((a - Z1) * 2^20, M1, s1) + MBQM((b - Z2) * 2^20, M2, s2), Mo, so) + Z_out).
 * avg_pool: input and output share scale and zero point; the raw int8
 *   values of the taps inside the input are summed and divided by their
 *   count, rounding half away from zero; then clamped.
 * max_pool: the largest raw value of the taps inside the input, clamped.
 */
import { mbqm, quantizeMultiplier, type QMult } from '../../arith/tflite.js';
import { scaleAt, type AffineQuant, type AffineRounding, type Tensor } from '../../ir/types.js';
import type { EvalCtx, OpCtx } from '../opdef.js';
import { poolGeometry } from '../pool.js';
import { roundingOf } from './mac.js';

export const ADD_LEFT_SHIFT = 20;

function aq(t: Tensor): AffineQuant {
  if (t.quant.kind !== 'affine') throw new Error(`internal: '${t.name}' is not affine`);
  return t.quant;
}

export interface AddParams {
  m1: QMult;
  m2: QMult;
  mo: QMult;
}

export function addParams(a: Tensor, b: Tensor, out: Tensor, rounding: AffineRounding): AddParams {
  const s1 = scaleAt(aq(a));
  const s2 = scaleAt(aq(b));
  const twiceMax = 2 * Math.max(s1, s2);
  return {
    m1: quantizeMultiplier(s1 / twiceMax, rounding),
    m2: quantizeMultiplier(s2 / twiceMax, rounding),
    mo: quantizeMultiplier(twiceMax / (2 ** ADD_LEFT_SHIFT * scaleAt(aq(out))), rounding),
  };
}

/** Every tensor of the layer affine int8 with one scale; reports otherwise. */
export function checkAffineActs<A>(ctx: OpCtx<A>): boolean {
  let ok = true;
  [...ctx.inputs.map((t, i) => [t, `inputs[${i}]`] as const), [ctx.outputs[0]!, 'outputs[0]'] as const].forEach(([t, field]) => {
    if (t.data) return;
    if (t.quant.kind !== 'affine') ok = (ctx.report('F8E046', `'${t.name}' must be affine like the rest of the layer`, field), false);
    else if (t.dtype !== 'int8') ok = (ctx.report('F8E042', `'${t.name}' is ${t.dtype}; the affine path needs int8`, field), false);
    else if (typeof t.quant.scale !== 'number') ok = (ctx.report('F8E047', `activation '${t.name}' must have one scale`, field), false);
  });
  return ok;
}

/** Pools move values without rescaling: input and output must share scale and zero point. */
export function checkSameScale<A>(ctx: OpCtx<A>): void {
  if (!checkAffineActs(ctx)) return;
  const x = aq(ctx.inputs[0]!);
  const o = aq(ctx.outputs[0]!);
  if (x.scale !== o.scale || x.zeroPoint !== o.zeroPoint)
    ctx.report('F8E045', `input (scale ${x.scale}, zero point ${x.zeroPoint}) and output (scale ${o.scale}, zero point ${o.zeroPoint}) must share scale and zero point`, 'outputs[0]');
}

export function evalAffineAdd(ctx: EvalCtx<unknown>): void {
  const [a, b] = ctx.acts as [NonNullable<EvalCtx<unknown>['acts'][0]>, NonNullable<EvalCtx<unknown>['acts'][0]>];
  const out = ctx.outs[0]!;
  const r = roundingOf(ctx.graph);
  const p = addParams(a.tensor, b.tensor, out.tensor, r);
  const z1 = aq(a.tensor).zeroPoint;
  const z2 = aq(b.tensor).zeroPoint;
  const zo = aq(out.tensor).zeroPoint;
  const k = 2 ** ADD_LEFT_SHIFT;
  const { lo, hi } = ctx.bounds;
  for (let i = 0; i < out.data.length; i++) {
    const s1 = mbqm((a.data[i]! - z1) * k, p.m1.multiplier, p.m1.shift, r);
    const s2 = mbqm((b.data[i]! - z2) * k, p.m2.multiplier, p.m2.shift, r);
    const v = mbqm(s1 + s2, p.mo.multiplier, p.mo.shift, r) + zo;
    out.data[i] = v < lo ? lo : v > hi ? hi : v;
  }
}

interface PoolAttrs {
  kernel: [number, number];
  strides: [number, number];
  padding: Parameters<typeof poolGeometry>[1]['padding'];
}

export function evalAffinePool(ctx: EvalCtx<PoolAttrs>, kind: 'avg' | 'max'): void {
  const x = ctx.acts[0]!;
  const out = ctx.outs[0]!;
  const g = poolGeometry(x.tensor, ctx.layer.attrs);
  const { lo, hi } = ctx.bounds;
  for (let oy = 0; oy < g.outH; oy++) {
    for (let ox = 0; ox < g.outW; ox++) {
      const y0 = oy * g.sh - g.top;
      const x0 = ox * g.sw - g.left;
      for (let c = 0; c < g.C; c++) {
        let acc = kind === 'max' ? -Infinity : 0;
        let count = 0;
        for (let ky = Math.max(0, -y0); ky < Math.min(g.kh, g.H - y0); ky++) {
          for (let kx = Math.max(0, -x0); kx < Math.min(g.kw, g.W - x0); kx++) {
            const v = x.data[((y0 + ky) * g.W + x0 + kx) * g.C + c]!;
            if (kind === 'max') acc = v > acc ? v : acc;
            else acc += v;
            count++;
          }
        }
        let v: number;
        if (kind === 'max') v = acc;
        else {
          const half = Math.floor(count / 2);
          v = acc > 0 ? Math.trunc((acc + half) / count) : Math.trunc((acc - half) / count);
        }
        out.data[(oy * g.outW + ox) * g.C + c] = v < lo ? lo : v > hi ? hi : v;
      }
    }
  }
}
