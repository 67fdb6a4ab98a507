/**
 * The typed IR shared by the loader, the passes, the interpreter and the
 * backends. A `Graph` is what a model file becomes once it has been parsed
 * and checked; passes return new graphs and never mutate their input.
 */

/** Element types. Activations are int8/uint8 in v1 (int16 is reserved). */
export type DType = 'int8' | 'uint8' | 'int16' | 'int32';

export const DTYPE_BYTES: Record<DType, number> = { int8: 1, uint8: 1, int16: 2, int32: 4 };

export const DTYPE_RANGE: Record<DType, readonly [number, number]> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
};

/** How every rescale of an op rounds (see docs/model-format.md). */
export type Rounding = 'half_even' | 'half_up' | 'half_away';
export const ROUNDINGS: readonly Rounding[] = ['half_even', 'half_up', 'half_away'];

/**
 * Fixed-point quantisation: value = q * 2^-fl, q in [qmin, qmax].
 * `fl` is one integer per tensor, or one per slice along `axis`
 * (per-output-channel weights: axis 0).
 */
export interface FixedQuant {
  kind: 'fixed';
  fl: number | number[];
  axis?: number;
  qmin: number;
  qmax: number;
}

/**
 * Affine quantisation (TFLite, Jacob et al.): value = scale * (q - zeroPoint).
 * `scale` holds float32 values (compile-time only: rescales become a Q31
 * multiplier and a shift, src/arith/tflite.ts); one per tensor or one per
 * slice along `axis` (per-channel weights, zero point 0).
 */
export interface AffineQuant {
  kind: 'affine';
  scale: number | number[];
  zeroPoint: number;
  axis?: number;
  qmin: number;
  qmax: number;
}

/**
 * The quantisation union: `fixed` (F8Net) and `affine` (TFLite); lut4 is a
 * reserved name (4-bit codes through an int8 table).
 */
export type Quant = FixedQuant | AffineQuant;

/** How affine rescales round (per model): TFLite Micro's default double rounding, or single rounding. */
export type AffineRounding = 'double' | 'single';
export type QuantKind = Quant['kind'];

/** Supported FL range (inclusive). Wide enough for real models. */
export const FL_MIN = -16;
export const FL_MAX = 24;

/** Largest |shift| any rescale may use (C shifts of int32 by >= 32 are UB). */
export const SHIFT_MAX = 31;

export type TensorData = Int8Array | Uint8Array | Int16Array | Int32Array;

export interface Tensor {
  name: string;
  shape: number[];
  dtype: DType;
  quant: Quant;
  /** Present for constants (weights, biases); absent for activations. */
  data?: TensorData;
  /** JSON pointer of the tensor in its model file, for diagnostics. */
  loc?: string;
}

/** The ops of model format v1. */
export type OpKind =
  | 'conv2d'
  | 'dense'
  | 'add'
  | 'relu'
  | 'relu6'
  | 'clip'
  | 'max_pool'
  | 'avg_pool'
  | 'global_avg_pool'
  | 'reshape'
  | 'flatten'
  | 'concat'
  | 'pad'
  | 'softmax'
  | 'pocket_sigmoid'
  | 'pocket_tanh'
  /** Affine (TFLite int8) only: LOGISTIC and TANH (src/ops/affine/lut.ts). */
  | 'sigmoid'
  | 'tanh';

/** Output clamp in the output tensor's integer units, set by fusion or by a fused `activation`. */
export interface Clamp {
  lo: number;
  hi: number;
}

export interface Layer<A = Record<string, unknown>> {
  name: string;
  op: OpKind;
  /** Tensor names: activations first, then constants, in the op's declared order. */
  inputs: string[];
  outputs: string[];
  attrs: A;
  rounding: Rounding;
  /** Extra clamp of the output (fused activation); intersected with [qmin, qmax]. */
  clamp?: Clamp;
  /** JSON pointer of the layer in its model file, for diagnostics. */
  loc?: string;
}

export interface Graph {
  name: string;
  /** Where the graph came from, for diagnostics and the generated C's stamp. */
  source: { file: string; hash: string; producer?: string; layout: 'nhwc' | 'nchw' };
  inputs: string[];
  outputs: string[];
  tensors: Map<string, Tensor>;
  layers: Layer[];
  /** Rounding of affine rescales (default 'double', TFLite Micro's default build). */
  affineRounding?: AffineRounding;
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function tensorBytes(t: Pick<Tensor, 'shape' | 'dtype'>): number {
  return numel(t.shape) * DTYPE_BYTES[t.dtype];
}

/** The FL of slice `i` (per-channel) or the tensor's single FL. Affine tensors have none (a bug to ask). */
export function flAt(q: Quant, i = 0): number {
  if (q.kind !== 'fixed') throw new Error('internal: flAt of an affine tensor');
  return typeof q.fl === 'number' ? q.fl : q.fl[i]!;
}

export function isPerChannel(q: Quant): boolean {
  return q.kind === 'fixed' ? typeof q.fl !== 'number' : typeof q.scale !== 'number';
}

/** The scale of slice `i` (per-channel) or the tensor's single scale of an affine tensor. */
export function scaleAt(q: AffineQuant, i = 0): number {
  return typeof q.scale === 'number' ? q.scale : q.scale[i]!;
}

export function isAffine(t: Pick<Tensor, 'quant'>): boolean {
  return t.quant.kind === 'affine';
}

export function getTensor(g: Graph, name: string): Tensor {
  const t = g.tensors.get(name);
  if (!t) throw new Error(`internal: tensor '${name}' not in graph`);
  return t;
}
