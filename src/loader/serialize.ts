/**
 * Graph → model format v1 (the inverse of the loader), for example
 * generators and importers. Deterministic: the same graph always gives the
 * same bytes. qmin/qmax are written only when they differ from the dtype's
 * full range; constant data inline (base64) or packed into a sidecar with
 * 4-byte aligned offsets.
 */
import { DTYPE_RANGE, type Graph, type Tensor } from '../ir/types.js';
import { encodeBase64, toBytes } from './decode.js';
import { FORMAT_NAME, FORMAT_VERSION } from './schema.js';
import { packSidecar } from './sidecar.js';

export interface SerializeOptions {
  /** true: data inline as base64; false: in a sidecar named `weightsFile`. */
  inline: boolean;
  weightsFile?: string;
}

function quantJson(t: Tensor): Record<string, unknown> {
  const [lo, hi] = DTYPE_RANGE[t.dtype];
  const q = t.quant;
  if (q.kind === 'affine')
    return {
      kind: q.kind,
      scale: q.scale,
      zero_point: q.zeroPoint,
      ...(q.axis !== undefined ? { axis: q.axis } : {}),
      ...(q.qmin !== lo ? { qmin: q.qmin } : {}),
      ...(q.qmax !== hi ? { qmax: q.qmax } : {}),
    };
  return {
    kind: q.kind,
    fl: q.fl,
    ...(q.axis !== undefined ? { axis: q.axis } : {}),
    ...(q.qmin !== lo ? { qmin: q.qmin } : {}),
    ...(q.qmax !== hi ? { qmax: q.qmax } : {}),
  };
}

export function serializeModel(g: Graph, opts: SerializeOptions): { json: string; sidecar?: Uint8Array } {
  if (!opts.inline && !opts.weightsFile) throw new Error('internal: serializeModel needs weightsFile when not inline');
  const consts = [...g.tensors.values()].filter((t) => t.data);
  const packed = opts.inline ? undefined : packSidecar(consts.map((t) => toBytes(t.data!)));
  const offsetOf = new Map(consts.map((t, i) => [t.name, i]));
  const tensors: Record<string, unknown> = {};
  for (const t of g.tensors.values()) {
    let data: unknown;
    if (t.data) {
      const bytes = toBytes(t.data);
      data = packed ? { offset: packed.offsets[offsetOf.get(t.name)!], length: bytes.length } : { base64: encodeBase64(bytes) };
    }
    tensors[t.name] = { shape: t.shape, dtype: t.dtype, quant: quantJson(t), ...(data ? { data } : {}) };
  }
  const layers = g.layers.map((l) => {
    if (l.clamp) throw new Error(`internal: layer '${l.name}' has a fused clamp; serialize graphs before fusion`);
    return { name: l.name, op: l.op, inputs: l.inputs, outputs: l.outputs, attrs: l.attrs, rounding: l.rounding };
  });
  const model = {
    format: FORMAT_NAME,
    version: FORMAT_VERSION,
    name: g.name,
    ...(g.source.producer !== undefined ? { producer: g.source.producer } : {}),
    layout: g.source.layout,
    ...(g.affineRounding !== undefined ? { affine_rounding: g.affineRounding } : {}),
    ...(packed ? { weights_file: opts.weightsFile } : {}),
    inputs: g.inputs,
    outputs: g.outputs,
    tensors,
    layers,
  };
  return { json: pretty(model, '') + '\n', ...(packed ? { sidecar: packed.bytes } : {}) };
}

/** JSON with 2-space indentation; arrays of scalars and small scalar objects on one line. */
function pretty(v: unknown, indent: string): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  const inner = indent + '  ';
  const scalar = (x: unknown) => x === null || typeof x !== 'object' || (Array.isArray(x) && x.every((y) => y === null || typeof y !== 'object'));
  if (Array.isArray(v)) {
    if (v.every(scalar)) return JSON.stringify(v);
    return `[\n${v.map((x) => inner + pretty(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  if (entries.length === 0) return '{}';
  if (entries.every(([, x]) => scalar(x))) {
    const line = `{${entries.map(([k, x]) => `${JSON.stringify(k)}: ${JSON.stringify(x)}`).join(', ')}}`;
    if (line.length <= 100) return line;
  }
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${pretty(x, inner)}`).join(',\n')}\n${indent}}`;
}
