/** C lowering of affine layers (not yet: the interpreter runs them; C kernels come next). */
import { fail } from '../../diag/diagnostic.js';
import type { KernelCall } from '../lowering.js';
import type { OpCtx } from '../opdef.js';

export function lowerAffine(ctx: OpCtx<any>): KernelCall[] {
  return fail('F8E112', `layer '${ctx.layer.name}': the C backend has no affine (TFLite) ${ctx.layer.op} kernel yet; f8c run and inspect work`, { layer: ctx.layer.name });
}

/** The C backend cannot emit affine models yet: one clean diagnostic instead of a crash. */
export function refuseAffineC(g: { name: string; layers: { name: string; op: string }[] }): never {
  return fail('F8E112', `model '${g.name}' is affine (TFLite int8): the C backend has no affine kernels yet; f8c run, inspect and import work`, {});
}
