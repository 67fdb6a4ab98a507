/**
 * The op registry: one OpDef per OpKind. Typed as a Record so that an op
 * added to OpKind without a declaration is a compile error.
 */
import type { OpKind } from '../ir/types.js';
import type { OpDef } from './opdef.js';
import { conv2d } from './conv2d.js';
import { dense } from './dense.js';
import { avgPool, maxPool } from './pool.js';
import { globalAvgPool } from './global_avg_pool.js';

export const OPS: Partial<Record<OpKind, OpDef>> = {
  conv2d,
  dense,
  max_pool: maxPool,
  avg_pool: avgPool,
  global_avg_pool: globalAvgPool,
};

export function isOpKind(s: string): s is OpKind {
  return Object.prototype.hasOwnProperty.call(OPS, s);
}

export function getOp(kind: OpKind): OpDef {
  const op = OPS[kind];
  if (!op) throw new Error(`internal: op '${kind}' has no declaration`);
  return op;
}
