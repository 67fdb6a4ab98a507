/**
 * A kernel call as data: what an OpDef's `lower` returns and the C emitter
 * renders. Nothing here is C text; the emitter turns it into
 *
 *   static const <ctype> <prefix>_<suffix>[n] = { ... };      (tables)
 *   static const <paramsType> <prefix>_params = { .f = v, ... };
 *   status = <fn>(&<prefix>_params, in0, out, scratch);       (args, in order)
 *
 * where <prefix> is the emitter's identifier for the layer. The kernels and
 * their parameter structs are declared in runtime-c/f8_kernels.h.
 */

import { DTYPE_BYTES, flAt, isPerChannel, type Layer, type Rounding, type Tensor } from '../ir/types.js';
import { outputBounds } from './context.js';

/** C element types of constant tables and of arena pointers. */
export type CElemType = 'int8_t' | 'uint8_t' | 'int16_t' | 'uint16_t' | 'int32_t' | 'uint32_t';

/** A constant array the call needs (weights, bias, per-channel shifts, exp table). */
export interface ConstTable {
  /** Appended to the layer prefix to name the array: `<prefix>_<suffix>`. */
  suffix: string;
  ctype: CElemType;
  values: ArrayLike<number>;
  /** Required byte alignment of the array (>= the element size). */
  align: number;
  /**
   * Tables with equal `shareKey` have equal contents in every layer (e.g. the
   * softmax exp table of one input FL); the emitter may emit them once.
   */
  shareKey?: string;
  /** One line for the generated comment (layout), e.g. 'OHWI [8,3,3,1]'. */
  comment?: string;
}

/** The value of one field of a parameter struct. */
export type ParamValue =
  /** An integer literal (fits int32_t). */
  | { kind: 'int'; value: number }
  /** An enumerator of f8_kernels.h, e.g. 'F8_ROUND_HALF_EVEN'. */
  | { kind: 'enum'; name: string }
  /** A pointer to one of this call's tables (by suffix). */
  | { kind: 'table'; suffix: string }
  /** NULL pointer (absent optional table, e.g. no bias). */
  | { kind: 'null' };

export interface ParamField {
  /** C field name in the parameter struct. */
  name: string;
  value: ParamValue;
}

/** One argument of the kernel call, in order. */
export type KernelArg =
  /** `&<prefix>_params` (a `const <paramsType> *`). */
  | { kind: 'params' }
  /** Activation input `index` (among the layer's activation inputs), as `const <ctype> *` into the arena. */
  | { kind: 'input'; index: number; ctype: CElemType }
  /** Output `index` of the layer, as `<ctype> *` into the arena. */
  | { kind: 'output'; index: number; ctype: CElemType }
  /** The layer's scratch region as `void *` (NULL when scratchBytes is 0). */
  | { kind: 'scratch' };

export interface KernelCall {
  /** C function, e.g. 'f8_conv2d_s8'. Returns f8_status. */
  fn: string;
  /** Its scratch companion, `uint32_t <fn>_scratch_size(const <paramsType> *)`. */
  scratchSizeFn: string;
  /** runtime-c sources to compile (the RUNTIME_HEADERS are always needed). */
  sources: string[];
  /** C struct type of the first argument, e.g. 'f8_conv2d_params'. */
  paramsType: string;
  /** Field values in declaration order (rendered as designated initialisers). */
  params: ParamField[];
  tables: ConstTable[];
  args: KernelArg[];
  /** Bytes of scratch this call needs (equals the C `_scratch_size`; at most the OpDef's `scratch`). */
  scratchBytes: number;
  /** A comment line for the generated C (what this call computes). */
  comment?: string;
}

/** Headers every kernel call needs (f8_internal.h is included by the kernel sources only). */
export const RUNTIME_HEADERS = ['f8_kernels.h', 'f8_arith.h', 'f8_internal.h'] as const;

/** Small constructors, so that lowerings read as data. */
export const int = (value: number): ParamValue => ({ kind: 'int', value });
export const enumv = (name: string): ParamValue => ({ kind: 'enum', name });
export const table = (suffix: string): ParamValue => ({ kind: 'table', suffix });
export const NULLP: ParamValue = { kind: 'null' };

// ---------------------------------------------------------------------------
// Helpers shared by the ops' `lower` functions.

/** The C enumerator of a rounding mode. */
export function roundingEnum(r: Rounding): string {
  return r === 'half_up' ? 'F8_ROUND_HALF_UP' : r === 'half_away' ? 'F8_ROUND_HALF_AWAY' : 'F8_ROUND_HALF_EVEN';
}

/** Kernel name suffix of an activation input: int8 -> 's8', uint8 -> 'u8'. */
export function actSuffix(t: Tensor): 's8' | 'u8' {
  if (t.dtype === 'int8') return 's8';
  if (t.dtype === 'uint8') return 'u8';
  throw new Error(`internal: no kernel for activation dtype ${t.dtype} of '${t.name}'`);
}

/** C element type of an activation input pointer. */
export function actCType(t: Tensor): CElemType {
  return actSuffix(t) === 's8' ? 'int8_t' : 'uint8_t';
}

/** The usual argument list: params, activation inputs 0..n-1, output 0 (bytes), scratch. */
export function standardArgs(acts: Tensor[]): KernelArg[] {
  return [
    { kind: 'params' },
    ...acts.map((t, index): KernelArg => ({ kind: 'input', index, ctype: actCType(t) })),
    { kind: 'output', index: 0, ctype: 'uint8_t' },
    { kind: 'scratch' },
  ];
}

/** The output fields every kernel ends with: rounding and bounds [lo, hi]. */
export function outFields(layer: Layer, out: Tensor): ParamField[] {
  const { lo, hi } = outputBounds(layer, out);
  return [
    { name: 'rounding', value: enumv(roundingEnum(layer.rounding)) },
    { name: 'out_lo', value: int(lo) },
    { name: 'out_hi', value: int(hi) },
  ];
}

/**
 * The requantisation shift(s) of conv2d/dense, n[c] = FL_x + FL_w[c] - FL_out:
 * one `shift` when the weight has one FL, else a per-channel `shifts` table.
 */
export function weightShifts(x: Tensor, w: Tensor, out: Tensor, cout: number): { fields: ParamField[]; tables: ConstTable[] } {
  const flx = flAt(x.quant);
  const flo = flAt(out.quant);
  if (!isPerChannel(w.quant)) {
    return { fields: [{ name: 'shifts', value: NULLP }, { name: 'shift', value: int(flx + flAt(w.quant) - flo) }], tables: [] };
  }
  const values = Array.from({ length: cout }, (_, c) => flx + flAt(w.quant, c) - flo);
  return {
    fields: [{ name: 'shifts', value: table('shifts') }, { name: 'shift', value: int(0) }],
    tables: [{ suffix: 'shifts', ctype: 'int8_t', values, align: 1, comment: `requantisation shift per output channel [${cout}]` }],
  };
}

/** A constant tensor as a table. */
export function constTable(suffix: string, t: Tensor, comment?: string): ConstTable {
  const ctype: CElemType = t.dtype === 'int32' ? 'int32_t' : t.dtype === 'int16' ? 'int16_t' : t.dtype === 'uint8' ? 'uint8_t' : 'int8_t';
  return { suffix, ctype, values: t.data!, align: DTYPE_BYTES[t.dtype], comment: comment ?? `'${t.name}' [${t.shape.join(', ')}]` };
}

/** A call of `f8_<op>_<suffix>` from runtime-c/f8_<family>.c with the usual arguments and no scratch. */
export function simpleCall(o: { family: string; op: string; input: Tensor; acts: Tensor[]; params: ParamField[]; tables?: ConstTable[]; comment?: string }): KernelCall {
  const fn = `f8_${o.op}_${actSuffix(o.input)}`;
  return {
    fn,
    scratchSizeFn: `${fn}_scratch_size`,
    sources: [`f8_${o.family}.c`],
    paramsType: `f8_${o.op}_params`,
    params: o.params,
    tables: o.tables ?? [],
    args: standardArgs(o.acts),
    scratchBytes: 0,
    ...(o.comment ? { comment: o.comment } : {}),
  };
}
