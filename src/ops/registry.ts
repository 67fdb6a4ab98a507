/**
 * The op registry: one OpDef per OpKind. Typed as a Record so that an op
 * added to OpKind without a declaration is a compile error.
 */
import type { OpKind } from '../ir/types.js';
import type { OpDef } from './opdef.js';
import { conv2d } from './conv2d.js';
import { add } from './add.js';
import { clip, relu, relu6 } from './activation.js';
import { flatten, reshape } from './reshape.js';
import { concat } from './concat.js';
import { pad } from './pad.js';
import { softmax } from './softmax.js';
import { pocketSigmoidOp, pocketTanhOp } from './pocket.js';
import { dense } from './dense.js';
import { avgPool, maxPool } from './pool.js';
import { globalAvgPool } from './global_avg_pool.js';
import { withAffine } from './affine/dispatch.js';
import { sigmoidOp, tanhOp } from './affine/ops.js';

export const OPS: Record<OpKind, OpDef> = withAffine({
  conv2d,
  add,
  relu,
  relu6,
  clip,
  reshape,
  flatten,
  concat,
  pad,
  softmax,
  pocket_sigmoid: pocketSigmoidOp,
  pocket_tanh: pocketTanhOp,
  sigmoid: sigmoidOp,
  tanh: tanhOp,
  dense,
  max_pool: maxPool,
  avg_pool: avgPool,
  global_avg_pool: globalAvgPool,
});

export function isOpKind(s: string): s is OpKind {
  return Object.prototype.hasOwnProperty.call(OPS, s);
}

export function getOp(kind: OpKind): OpDef {
  const op = OPS[kind];
  if (!op) throw new Error(`internal: op '${kind}' has no declaration`);
  return op;
}
