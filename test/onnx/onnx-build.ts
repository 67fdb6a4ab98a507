/** Builds small ONNX models in code (onnx-proto encode) for the importer tests. */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attrs?: Record<string, number | number[] | string>;
}

const DT = { float: 1, uint8: 2, int8: 3, int32: 6, int64: 7 } as const;

export function tensor(name: string, dims: number[], type: keyof typeof DT, values: ArrayLike<number>): InstanceType<typeof onnx.TensorProto> {
  const t = new onnx.TensorProto({ name, dims, dataType: DT[type] });
  if (type === 'float') t.floatData = Array.from(values);
  else if (type === 'int64') t.int64Data = Array.from(values);
  else t.int32Data = Array.from(values);
  return t;
}

function attr(name: string, v: number | number[] | string) {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return new onnx.AttributeProto({ name, type: T.STRING, s: new TextEncoder().encode(v) });
  if (Array.isArray(v)) return new onnx.AttributeProto({ name, type: T.INTS, ints: v });
  return Number.isInteger(v) ? new onnx.AttributeProto({ name, type: T.INT, i: v }) : new onnx.AttributeProto({ name, type: T.FLOAT, f: v });
}

export function model(opts: { nodes: NodeSpec[]; inits: InstanceType<typeof onnx.TensorProto>[]; input: [string, number[]]; output: string; opset?: number }): Uint8Array {
  const vi = (name: string, dims: number[]) =>
    new onnx.ValueInfoProto({ name, type: new onnx.TypeProto({ tensorType: new onnx.TypeProto.Tensor({ elemType: 1, shape: new onnx.TensorShapeProto({ dim: dims.map((d) => new onnx.TensorShapeProto.Dimension({ dimValue: d })) }) }) }) });
  const graph = new onnx.GraphProto({
    name: 'g',
    node: opts.nodes.map((n, i) => new onnx.NodeProto({ name: n.name ?? `${n.op}_${i}`, opType: n.op, input: n.inputs, output: n.outputs, attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attr(k, v)) })),
    initializer: opts.inits,
    input: [vi(opts.input[0], opts.input[1])],
    output: [new onnx.ValueInfoProto({ name: opts.output })],
  });
  const m = new onnx.ModelProto({ irVersion: 8, producerName: 'f8c-test', graph, opsetImport: [new onnx.OperatorSetIdProto({ domain: '', version: opts.opset ?? 13 })] });
  return onnx.ModelProto.encode(m).finish();
}

/** Deterministic pseudo-random floats in [-1, 1). */
export function rand(n: number, seed: number): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
}
