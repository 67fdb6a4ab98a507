/**
 * The subset of the TFLite flatbuffer schema that f8c reads, written for
 * f8c from the format's facts: table field ids (a field's vtable slot is
 * 4 + 2 * id; a union takes two ids, type then value) and enum values.
 * TFLite's own schema file is not vendored. Read through the flatbuffers
 * runtime's table accessors (./reader.ts) and written by the test-model
 * writer (./writer.ts).
 *
 *   table Model { version:uint (0); operator_codes:[OperatorCode] (1);
 *                 subgraphs:[SubGraph] (2); description:string (3); buffers:[Buffer] (4) }
 *   table OperatorCode { deprecated_builtin_code:byte (0); custom_code:string (1);
 *                        version:int (2); builtin_code:int (3) }
 *   table SubGraph { tensors (0); inputs:[int] (1); outputs:[int] (2); operators (3); name (4) }
 *   table Tensor { shape:[int] (0); type:byte (1); buffer:uint (2); name:string (3);
 *                  quantization:QuantizationParameters (4) }
 *   table QuantizationParameters { min:[float] (0); max:[float] (1); scale:[float] (2);
 *                  zero_point:[long] (3); details (4, 5); quantized_dimension:int (6) }
 *   table Operator { opcode_index:uint (0); inputs:[int] (1); outputs:[int] (2);
 *                    builtin_options_type:ubyte (3); builtin_options (4) }
 *   table Buffer { data:[ubyte] (0); offset:ulong (1); size:ulong (2) }
 */

export const F = {
  model: { version: 0, operatorCodes: 1, subgraphs: 2, description: 3, buffers: 4 },
  opcode: { deprecatedBuiltinCode: 0, customCode: 1, version: 2, builtinCode: 3 },
  subgraph: { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4 },
  tensor: { shape: 0, type: 1, buffer: 2, name: 3, quantization: 4 },
  quant: { min: 0, max: 1, scale: 2, zeroPoint: 3, quantizedDimension: 6 },
  operator: { opcodeIndex: 0, inputs: 1, outputs: 2, builtinOptionsType: 3, builtinOptions: 4 },
  buffer: { data: 0, offset: 1, size: 2 },
  /** Conv2DOptions */
  conv: { padding: 0, strideW: 1, strideH: 2, activation: 3, dilationW: 4, dilationH: 5 },
  /** DepthwiseConv2DOptions */
  dwconv: { padding: 0, strideW: 1, strideH: 2, depthMultiplier: 3, activation: 4, dilationW: 5, dilationH: 6 },
  /** Pool2DOptions */
  pool: { padding: 0, strideW: 1, strideH: 2, filterW: 3, filterH: 4, activation: 5 },
  /** FullyConnectedOptions */
  fc: { activation: 0, weightsFormat: 1, keepNumDims: 2 },
  /** AddOptions */
  add: { activation: 0 },
  /** ConcatenationOptions */
  concat: { axis: 0, activation: 1 },
  /** SoftmaxOptions */
  softmax: { beta: 0 },
  /** ReshapeOptions */
  reshape: { newShape: 0 },
  /** ReducerOptions (MEAN) */
  reducer: { keepDims: 0 },
} as const;

/** TensorType values. */
export const TENSOR_TYPE: Record<number, string> = {
  0: 'float32', 1: 'float16', 2: 'int32', 3: 'uint8', 4: 'int64', 5: 'string', 6: 'bool',
  7: 'int16', 8: 'complex64', 9: 'int8', 10: 'float64', 11: 'complex128', 12: 'uint64',
  13: 'resource', 14: 'variant', 15: 'uint32', 16: 'uint16', 17: 'int4',
};
export const TT = { float32: 0, int32: 2, uint8: 3, int16: 7, int8: 9 } as const;

/** BuiltinOperator values of the ops f8c knows by name (the rest print as their number). */
export const BUILTIN = {
  ADD: 0, AVERAGE_POOL_2D: 1, CONCATENATION: 2, CONV_2D: 3, DEPTHWISE_CONV_2D: 4,
  DEPTH_TO_SPACE: 5, DEQUANTIZE: 6, FLOOR: 8, FULLY_CONNECTED: 9, L2_NORMALIZATION: 11,
  LOGISTIC: 14, LSTM: 16, MAX_POOL_2D: 17, MUL: 18, RELU: 19, RELU_N1_TO_1: 20, RELU6: 21,
  RESHAPE: 22, RESIZE_BILINEAR: 23, SOFTMAX: 25, TANH: 28, CUSTOM: 32, PAD: 34, GATHER: 36,
  TRANSPOSE: 39, MEAN: 40, SUB: 41, DIV: 42, SQUEEZE: 43, STRIDED_SLICE: 45, EXP: 47,
  SPLIT: 49, LOG_SOFTMAX: 50, CAST: 53, PRELU: 54, MAXIMUM: 55, ARG_MAX: 56, MINIMUM: 57,
  PADV2: 60, SLICE: 65, TRANSPOSE_CONV: 67, EXPAND_DIMS: 70, SUM: 74, SQRT: 75, RSQRT: 76,
  SHAPE: 77, POW: 78, ARG_MIN: 79, REDUCE_MAX: 82, PACK: 83, LEAKY_RELU: 98, SQUARED_DIFFERENCE: 99,
  ABS: 101, HARD_SWISH: 117, QUANTIZE: 114, BATCH_MATMUL: 126,
} as const;

export const BUILTIN_NAME: Record<number, string> = Object.fromEntries(Object.entries(BUILTIN).map(([k, v]) => [v, k]));

/** Padding enum. */
export const PADDING = { SAME: 0, VALID: 1 } as const;

/** ActivationFunctionType enum. */
export const ACT = { NONE: 0, RELU: 1, RELU_N1_TO_1: 2, RELU6: 3, TANH: 4, SIGN_BIT: 5 } as const;
export const ACT_NAME: Record<number, string> = { 0: 'none', 1: 'relu', 2: 'relu_n1_to_1', 3: 'relu6', 4: 'tanh', 5: 'sign_bit' };

/** BuiltinOptions union type ids of the options tables written by the test-model writer. */
export const OPTIONS_TYPE = {
  Conv2DOptions: 1, DepthwiseConv2DOptions: 2, ConcatenationOptions: 10, Pool2DOptions: 5,
  FullyConnectedOptions: 8, SoftmaxOptions: 9, AddOptions: 11, ReshapeOptions: 17,
  PadOptions: 22, ReducerOptions: 27,
} as const;
