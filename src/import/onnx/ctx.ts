/**
 * State shared by the ONNX node converters: tensor aliases (Identity,
 * Q/DQ pairs), constants, integer constants from DequantizeLinear, f8c
 * shapes, and the [C, H, W] of flattened feature maps (whose NCHW order a
 * following Gemm's weight columns must be permuted from).
 */
import { DTYPE_RANGE } from '../../ir/types.js';
import type { ActFormat, FGraph, FNode, QConst } from './fgraph.js';
import type { OnnxModel, OnnxNode, OnnxTensor, AttrValue } from './proto.js';

/** A problem with one node; the converter turns it into an F8E102/F8E103 diagnostic. */
export class NodeError extends Error {
  constructor(readonly code: 'F8E102' | 'F8E103', message: string) {
    super(message);
  }
}

export class ConvertCtx {
  readonly alias = new Map<string, string>();
  readonly qconsts = new Map<string, QConst & { type: string; dims: number[] }>();
  readonly chw = new Map<string, [number, number, number]>();
  readonly g: FGraph;
  readonly uses = new Map<string, number>();

  constructor(readonly model: OnnxModel, name: string) {
    this.g = { name, producer: model.producer, inputs: [], outputs: [], nodes: [], shapes: new Map(), formats: new Map(), qdq: false };
    for (const n of model.nodes) for (const i of n.inputs) if (i) this.uses.set(i, (this.uses.get(i) ?? 0) + 1);
    for (const o of model.outputs) this.uses.set(o, (this.uses.get(o) ?? 0) + 1);
  }

  root(name: string): string {
    let n = name;
    while (this.alias.has(n)) n = this.alias.get(n)!;
    return n;
  }

  isConst(name: string): boolean {
    return this.model.inits.has(name) || this.qconsts.has(name);
  }

  constOf(name: string, what: string): OnnxTensor {
    const t = this.model.inits.get(name);
    if (!t) throw new NodeError('F8E102', `${what} '${name}' must be a constant (an initialiser or a Constant node)`);
    return t;
  }

  optConst(name: string | undefined): OnnxTensor | undefined {
    return name ? this.model.inits.get(name) : undefined;
  }

  /** The f8c (NHWC) shape of an activation. */
  shape(name: string): number[] {
    const s = this.g.shapes.get(this.root(name));
    if (!s) throw new NodeError('F8E102', `'${name}' is not an activation this importer knows (a constant where an activation is expected?)`);
    return s;
  }

  /** Adds a node; its output gets `shape`. */
  add(n: FNode, shape: number[]): void {
    n.inputs = n.inputs.map((i) => this.root(i));
    this.g.nodes.push(n);
    this.g.shapes.set(n.output, shape);
  }

  noFlattenedMap(name: string, what: string): void {
    const c = this.chw.get(this.root(name));
    if (c) throw new NodeError('F8E102', `'${name}' is a flattened ${c[1]}x${c[2]}x${c[0]} feature map (NCHW order); ${what} cannot use it (only Gemm/MatMul can, by permuting their weights)`);
  }

  setFormat(name: string, f: ActFormat): void {
    const r = this.root(name);
    const old = this.g.formats.get(r);
    if (old && (old.fl !== f.fl || old.dtype !== f.dtype)) throw new NodeError('F8E102', `'${name}' is quantised twice with different formats (${old.dtype} FL ${old.fl} and ${f.dtype} FL ${f.fl})`);
    this.g.formats.set(r, old ?? f);
  }
}

export function attrInts(n: OnnxNode, key: string, dflt?: number[]): number[] | undefined {
  const v = n.attrs.get(key);
  return Array.isArray(v) ? (v as number[]) : dflt;
}

export function attrNum(n: OnnxNode, key: string, dflt: number): number {
  const v = n.attrs.get(key);
  return typeof v === 'number' ? v : dflt;
}

export function attrStr(n: OnnxNode, key: string, dflt: string): string {
  const v: AttrValue | undefined = n.attrs.get(key);
  return typeof v === 'string' ? v : dflt;
}

/** FL of a power-of-two scale (scale = 2^-FL), or a F8E103 error. */
export function flOfScale(s: number, where: string): number {
  const fl = -Math.log2(s);
  if (!(s > 0) || !Number.isInteger(fl)) throw new NodeError('F8E103', `${where}: scale ${s} is not a power of two`);
  return fl;
}

export function fullFormat(dtype: 'int8' | 'uint8', fl: number): ActFormat {
  const [qmin, qmax] = DTYPE_RANGE[dtype];
  return { dtype, fl, qmin, qmax };
}
