/**
 * The importer's intermediate graph: the ONNX model after layout conversion
 * (NHWC, OHWI weights), BatchNormalization folding and activation fusion,
 * still in real numbers. Both import paths start from it: PTQ evaluates it
 * in float64 (./feval.ts) to calibrate formats; QDQ reads the exact formats
 * and integer constants recorded on it.
 */
import type { DType } from '../../ir/types.js';

export type FOp =
  | 'conv2d' | 'dense' | 'add' | 'relu' | 'clip' | 'max_pool' | 'avg_pool' | 'global_avg_pool'
  | 'flatten' | 'reshape' | 'concat' | 'pad' | 'softmax' | 'sigmoid' | 'tanh';

/** An integer constant taken bit for bit from a DequantizeLinear initialiser: value = q * 2^-fl. */
export interface QConst {
  q: Float64Array;
  fl: number | number[];
}

/** A fixed-point activation format (from a QuantizeLinear, or chosen by PTQ). */
export interface ActFormat {
  dtype: DType;
  fl: number;
  qmin: number;
  qmax: number;
}

export interface FNode {
  name: string;
  op: FOp;
  /** Activation inputs (tensor names). */
  inputs: string[];
  output: string;
  /** f8c attributes (NHWC). */
  attrs: Record<string, unknown>;
  /** conv2d/dense: float weight (OHWI or [N, K]) and bias, BN folded. */
  w?: Float64Array;
  wShape?: number[];
  b?: Float64Array;
  /** conv2d/dense of a QDQ model: the exact integer weight and bias. */
  wq?: QConst;
  bq?: QConst;
  /** A fused relu/clip after the op, in real values (relu: [0, Infinity]). */
  act?: { lo: number; hi: number; relu6?: boolean };
}

export interface FGraph {
  name: string;
  producer: string;
  inputs: string[];
  outputs: string[];
  nodes: FNode[];
  /** f8c shape (NHWC, batch 1) of every activation tensor. */
  shapes: Map<string, number[]>;
  /** Formats recorded by QuantizeLinear/DequantizeLinear pairs (QDQ models). */
  formats: Map<string, ActFormat>;
  /** Whether the model had any QuantizeLinear/DequantizeLinear. */
  qdq: boolean;
}

/** The op's output keeps its input's format exactly (reshape/flatten require it; max_pool by choice). */
export function isPassThrough(n: FNode): boolean {
  return n.op === 'flatten' || n.op === 'reshape' || n.op === 'max_pool';
}
