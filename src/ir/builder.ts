/**
 * Builds graphs in code (tests, example generators, importers). Output
 * shapes are inferred with the op's own `inferShape`; attribute defaults come
 * from the op's schema. Any problem throws: builders are for trusted code.
 */
import { getOp } from '../ops/registry.js';
import { opCtx } from '../ops/context.js';
import { DTYPE_RANGE, type Clamp, type DType, type Graph, type Layer, type OpKind, type Rounding, type Tensor, type TensorData } from './types.js';

export interface FormatSpec {
  dtype?: DType;
  fl: number | number[];
  qmin?: number;
  qmax?: number;
}

export class GraphBuilder {
  private tensors = new Map<string, Tensor>();
  private layers: Layer[] = [];
  private ins: string[] = [];
  private outs: string[] = [];

  constructor(private name: string) {}

  private tensor(name: string, shape: number[], f: FormatSpec, data?: TensorData): string {
    if (this.tensors.has(name)) throw new Error(`builder: duplicate tensor '${name}'`);
    const dtype = f.dtype ?? 'int8';
    const [lo, hi] = DTYPE_RANGE[dtype];
    this.tensors.set(name, { name, shape, dtype, quant: { kind: 'fixed', fl: f.fl, qmin: f.qmin ?? lo, qmax: f.qmax ?? hi }, data });
    return name;
  }

  input(name: string, shape: number[], f: FormatSpec): string {
    this.ins.push(name);
    return this.tensor(name, shape, f);
  }

  const(name: string, shape: number[], f: FormatSpec, values: ArrayLike<number>): string {
    const dtype = f.dtype ?? 'int8';
    const data = dtype === 'int32' ? Int32Array.from(values) : dtype === 'int16' ? Int16Array.from(values) : dtype === 'uint8' ? Uint8Array.from(values) : Int8Array.from(values);
    return this.tensor(name, shape, { ...f, dtype }, data);
  }

  /** Adds a layer whose single output `out.name` gets the inferred shape. */
  layer(
    name: string,
    op: OpKind,
    inputs: string[],
    out: FormatSpec & { name: string },
    attrs: Record<string, unknown> = {},
    opts: { rounding?: Rounding; clamp?: Clamp } = {},
  ): string {
    const def = getOp(op);
    const parsed = def.attrs.parse(attrs);
    this.tensor(out.name, [], out);
    const layer: Layer = { name, op, inputs, outputs: [out.name], attrs: parsed, rounding: opts.rounding ?? 'half_even', ...(opts.clamp ? { clamp: opts.clamp } : {}) };
    const g = this.snapshot();
    const shape = def.inferShape(opCtx(g, layer, (code, msg) => {
      throw new Error(`builder: layer '${name}': ${code} ${msg}`);
    }));
    if (!shape) throw new Error(`builder: layer '${name}': no shape`);
    this.tensors.get(out.name)!.shape = shape;
    this.layers.push(layer);
    return out.name;
  }

  output(...names: string[]): void {
    this.outs.push(...names);
  }

  private snapshot(): Graph {
    return {
      name: this.name,
      source: { file: `<${this.name}>`, hash: '', layout: 'nhwc' },
      inputs: [...this.ins],
      outputs: [...this.outs],
      tensors: this.tensors,
      layers: this.layers,
    };
  }

  build(): Graph {
    const g = this.snapshot();
    return { ...g, tensors: new Map(g.tensors), layers: [...g.layers] };
  }
}
