/**
 * An operator is declared once, as an OpDef: its inputs, its attribute
 * schema, shape inference, format checks, MAC count, accumulator bound,
 * bit-exact reference semantics (`eval`), scratch size and C lowering.
 * The loader, the interpreter, `f8c inspect`, the C emitter and the tests all
 * read the same declaration from the registry (./registry.ts).
 */
import type { z } from 'zod';
import type { DiagCode } from '../diag/codes.js';
import type { Clamp, Graph, Layer, OpKind, Tensor } from '../ir/types.js';
import type { KernelCall } from './lowering.js';

/** Which kernel implementation the backend targets. */
export type KernelVariant = 'portable' | 'arm';

/** What an op's scratch-size and lowering functions may ask about the target. */
export interface TargetInfo {
  name: string;
  /** Has the Armv7E-M DSP extension (SXTB16, SMLAD, SSAT). */
  dsp: boolean;
  /** Has Helium (M-profile vector extension). */
  mve: boolean;
}

export const HOST_TARGET: TargetInfo = { name: 'host', dsp: false, mve: false };

export interface OpInputSpec {
  name: string;
  kind: 'activation' | 'const';
  optional?: boolean;
  /** One or more activations (add, concat); only the last spec may be variadic. */
  variadic?: boolean;
}

/** Context of the static (load-time) hooks of an op: one layer of a graph. */
export interface OpCtx<A> {
  graph: Graph;
  layer: Layer<A>;
  /** The layer's input tensors in order (activations then constants). */
  inputs: Tensor[];
  /** The declared output tensor(s). Shape may still be unchecked in inferShape. */
  outputs: Tensor[];
  /** Reports a problem on this layer; `field` names the attribute or input. */
  report(code: DiagCode, message: string, field?: string, severity?: 'error' | 'warning' | 'note'): void;
}

/** A view of an activation tensor inside the interpreter's arena. */
export interface ActView {
  tensor: Tensor;
  /** Elements, NHWC row-major, typed by the tensor's dtype, aliasing the arena. */
  data: Int8Array | Uint8Array | Int16Array;
}

export interface EvalCtx<A> {
  graph: Graph;
  layer: Layer<A>;
  /** Activation inputs, in order. */
  acts: ActView[];
  /** Constant inputs, in order (e.g. [weight, bias?]); absent optional ones are undefined. */
  consts: (Tensor | undefined)[];
  /** The output view(s). */
  outs: ActView[];
  /** Scratch bytes granted by the plan (size from `scratch`). */
  scratch: Uint8Array;
  /** Output bounds [lo, hi]: the output's [qmin, qmax] intersected with any fused clamp. */
  bounds: Clamp;
}

export interface AccBound {
  /** Worst-case |accumulator| over all weights and the input's [qmin, qmax]. */
  maxAbs: number;
}

export interface OpDef<A = any> {
  kind: OpKind;
  summary: string;
  inputs: OpInputSpec[];
  /** Attribute schema (zod); parsing fills defaults. */
  attrs: z.ZodType<A>;
  /** Whether a following relu/relu6/clip may be fused into this op's output clamp. */
  fusable: boolean;
  /**
   * Output shape from the inputs and attributes, or undefined after
   * reporting why it cannot be computed.
   */
  inferShape(ctx: OpCtx<A>): number[] | undefined;
  /** Element types, formats, bias FL, shift ranges. Report, never throw. */
  checkFormats(ctx: OpCtx<A>): void;
  /** Multiply-accumulates (padded taps counted). */
  macs(ctx: OpCtx<A>): number;
  /** Worst-case accumulator, for ops that accumulate products. */
  accBound?(ctx: OpCtx<A>): AccBound;
  /** Bit-exact reference semantics. Uses only src/arith. */
  eval(ctx: EvalCtx<A>): void;
  /** Scratch bytes the kernel for (target, variant) needs; mirrors the C `_scratch_size` function. */
  scratch(ctx: OpCtx<A>, target: TargetInfo, variant: KernelVariant): number;
  /**
   * The C kernel call(s) of this layer, as data (./lowering.ts), in order;
   * usually one (concat: one per input). Every call's scratch fits `scratch`.
   */
  lower?(ctx: OpCtx<A>, target: TargetInfo, variant: KernelVariant): KernelCall[];
}

/** Helper to declare an op with its attribute type inferred from the schema. */
export function defineOp<S extends z.ZodType>(def: OpDef<z.output<S>> & { attrs: S }): OpDef<z.output<S>> {
  return def;
}
