/**
 * One-layer affine (TFLite int8) graphs for the kernel tests: tensors from
 * small specs (scale, zero point, range, constant data), the output's shape
 * inferred by the op, formats checked.
 */
import { DTYPE_RANGE, type AffineRounding, type DType, type Graph, type Layer, type OpKind, type Tensor } from '../../src/ir/types.js';
import { getOp } from '../../src/ops/registry.js';
import { opCtx } from '../../src/ops/context.js';

export interface Spec {
  name: string;
  shape?: number[];
  dtype?: DType;
  scale: number | number[];
  zp?: number;
  qmin?: number;
  qmax?: number;
  data?: number[];
}

function tensor(s: Spec): Tensor {
  const dtype = s.dtype ?? 'int8';
  const [lo, hi] = DTYPE_RANGE[dtype];
  const data = s.data ? (dtype === 'int32' ? Int32Array.from(s.data) : Int8Array.from(s.data)) : undefined;
  return {
    name: s.name,
    shape: s.shape ?? [],
    dtype,
    quant: { kind: 'affine', scale: s.scale, zeroPoint: s.zp ?? 0, ...(Array.isArray(s.scale) ? { axis: 0 } : {}), qmin: s.qmin ?? lo, qmax: s.qmax ?? hi },
    ...(data ? { data } : {}),
  };
}

/** A one-layer affine graph; the output's shape is inferred by the op. */
export function affineGraph(op: OpKind, ins: Spec[], out: Spec, attrs: Record<string, unknown>, rounding: AffineRounding, layerRounding: Layer['rounding'] = 'half_even'): Graph {
  const tensors = new Map<string, Tensor>();
  for (const s of [...ins, out]) tensors.set(s.name, tensor(s));
  const layer: Layer = { name: 'l', op, inputs: ins.map((s) => s.name), outputs: [out.name], attrs: getOp(op).attrs.parse(attrs) as Record<string, unknown>, rounding: layerRounding };
  const g: Graph = {
    name: 'k',
    source: { file: '<k>', hash: '', layout: 'nhwc' },
    inputs: ins.filter((s) => !s.data).map((s) => s.name),
    outputs: [out.name],
    tensors,
    layers: [layer],
    affineRounding: rounding,
  };
  const problems: string[] = [];
  const ctx = opCtx(g, layer, (code, msg) => problems.push(`${code} ${msg}`));
  const shape = getOp(op).inferShape(ctx);
  if (!shape) throw new Error(`no shape: ${problems.join('; ')}`);
  tensors.get(out.name)!.shape = shape;
  getOp(op).checkFormats(opCtx(g, layer, (code, msg) => problems.push(`${code} ${msg}`)));
  if (problems.length) throw new Error(problems.join('; '));
  return g;
}
