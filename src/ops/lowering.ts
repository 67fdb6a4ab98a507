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
  /** runtime-c sources to compile (headers f8_kernels.h and f8_arith.h are always needed). */
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

/** Headers every kernel call needs. */
export const RUNTIME_HEADERS = ['f8_kernels.h', 'f8_arith.h'] as const;

/** Small constructors, so that lowerings read as data. */
export const int = (value: number): ParamValue => ({ kind: 'int', value });
export const enumv = (name: string): ParamValue => ({ kind: 'enum', name });
export const table = (suffix: string): ParamValue => ({ kind: 'table', suffix });
export const NULLP: ParamValue = { kind: 'null' };
