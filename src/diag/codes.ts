/**
 * The diagnostic catalogue: every code f8c can report, with its default
 * severity and a hint. Codes are stable: never reuse or renumber one; add new
 * ones at the end of their block. Each code has a test in test/diag/.
 */
import type { Severity } from './diagnostic.js';

export interface CodeInfo {
  severity: Severity;
  title: string;
  hint?: string;
}

export const CODES = {
  // --- files and parsing (0xx) ---
  F8E001: { severity: 'error', title: 'file cannot be read', hint: 'check the path and permissions' },
  F8E002: { severity: 'error', title: 'file is not valid JSON', hint: 'the model file must be UTF-8 JSON (f8c model format v1)' },
  F8E003: { severity: 'error', title: 'file too large', hint: 'model files above the size limit are refused; keep weights in a sidecar .bin' },
  F8E004: { severity: 'error', title: 'model does not match the format schema', hint: 'see docs/model-format.md and schema/f8c-model.schema.json' },
  F8E005: { severity: 'error', title: 'unsupported format version', hint: 'this f8c reads model format version 1' },
  F8E006: { severity: 'error', title: 'unrecognised model file type', hint: 'f8c reads .json model files (F8Net format v1)' },
  F8E007: { severity: 'error', title: 'cannot write output', hint: 'check that the output path is writable' },
  // --- graph structure (01x-02x) ---
  F8E010: { severity: 'error', title: 'unknown op', hint: 'v1 ops: conv2d, dense, add, relu, relu6, clip, max_pool, avg_pool, global_avg_pool, reshape, flatten, concat, pad, softmax, pocket_sigmoid, pocket_tanh; affine (TFLite int8) only: sigmoid, tanh (global_avg_pool on affine tensors is TFLite MEAN over H and W)' },
  F8E011: { severity: 'error', title: 'invalid attribute', hint: 'see the op reference in docs/model-format.md' },
  F8E012: { severity: 'error', title: 'wrong number of layer inputs or outputs' },
  F8E020: { severity: 'error', title: 'reference to an undefined tensor', hint: 'declare the tensor under "tensors"' },
  F8E021: { severity: 'error', title: 'tensor produced more than once', hint: 'every tensor has exactly one producer (a layer, or the model input list, or constant data)' },
  F8E022: { severity: 'error', title: 'tensor has no producer', hint: 'list it in "inputs", give it data, or make a layer produce it' },
  F8E023: { severity: 'error', title: 'graph has a cycle' },
  F8E024: { severity: 'error', title: 'duplicate name' },
  F8E025: { severity: 'error', title: 'constant used where an activation is expected, or the reverse' },
  F8E026: { severity: 'warning', title: 'tensor or layer is never used' },
  // --- shapes (03x) ---
  F8E030: { severity: 'error', title: 'shapes do not agree' },
  F8E031: { severity: 'error', title: 'declared shape differs from the inferred shape' },
  F8E032: { severity: 'error', title: 'batch dimension must be 1', hint: 'activation shapes always include the batch dimension, and it is 1' },
  // --- formats (04x) ---
  F8E040: { severity: 'error', title: 'fractional length out of range', hint: 'FL must be an integer in [-16, 24]' },
  F8E041: { severity: 'error', title: 'qmin/qmax out of range for the element type' },
  F8E042: { severity: 'error', title: 'element type not allowed here' },
  F8E043: { severity: 'error', title: 'bias format does not match FL_x + FL_w', hint: 'bias is int32 at FL = FL_input + FL_weight (per channel when the weight is per channel)' },
  F8E044: { severity: 'error', title: 'rescale shift out of range', hint: 'every rescale shift must be within [-31, 31] (and operand alignment of add within 22)' },
  F8E045: { severity: 'error', title: 'formats must be identical', hint: 'reshape and flatten move bytes only: give input and output the same dtype and quantisation' },
  F8E046: { severity: 'error', title: 'unsupported quantisation kind', hint: 'model format v1 implements kind "fixed"' },
  F8E047: { severity: 'error', title: 'per-channel FL has the wrong length or axis' },
  // --- constant data (05x) ---
  F8E050: { severity: 'error', title: 'constant data length does not match its shape' },
  F8E051: { severity: 'error', title: 'constant value outside [qmin, qmax]' },
  F8E052: { severity: 'error', title: 'sidecar weight file missing or too short' },
  F8E053: { severity: 'error', title: 'invalid base64 data' },
  // --- numeric bounds (06x) ---
  F8W060: { severity: 'warning', title: 'int32 accumulator may overflow', hint: 'the worst case over weights and the input range exceeds int32; accumulation wraps modulo 2^32 as on the hardware' },
  // --- run-time inputs (07x) ---
  F8E070: { severity: 'error', title: 'cannot read .npy file' },
  F8E071: { severity: 'error', title: 'input data does not match the model input' },
  F8E072: { severity: 'error', title: 'bad command-line argument' },
  // --- targets, boards and toolchains (09x) ---
  F8E090: { severity: 'error', title: 'unknown target', hint: 'run `f8c targets` to list the targets' },
  F8E091: { severity: 'error', title: 'model does not fit the RAM of the target board', hint: 'the arena, the stack and the runtime\'s static data must fit in RAM; choose a board with more RAM (--board) or a smaller model' },
  F8E092: { severity: 'error', title: 'tool not found', hint: 'install the Arm toolchain and QEMU: bash scripts/install-arm.sh (apt: gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm)' },
  F8E093: { severity: 'error', title: 'target cannot do this', hint: 'choose a specific core, e.g. --target cortex-m4 (`f8c targets` lists them)' },
  F8E094: { severity: 'error', title: 'model does not fit the flash of the target board' },
  // --- ONNX import (10x) ---
  F8E100: { severity: 'error', title: 'cannot read the ONNX model', hint: 'f8c reads ONNX protobuf files (.onnx) as written by torch.onnx.export or onnx.save' },
  F8E101: { severity: 'error', title: 'unsupported ONNX operators', hint: 'supported: Conv, Gemm, MatMul, BatchNormalization, Relu, Clip, MaxPool, AveragePool, GlobalAveragePool, Add, Flatten, Reshape, Concat, Pad, Softmax, Sigmoid, Tanh, QuantizeLinear, DequantizeLinear, Identity, Constant' },
  F8E102: { severity: 'error', title: 'unsupported use of an ONNX operator', hint: 'f8c imports the static, batch-1 graphs that PyTorch exports for MCU-class CNNs and MLPs' },
  F8E103: { severity: 'error', title: 'QDQ quantisation is not power-of-two', hint: 'f8c imports QDQ models exactly when every scale is a power of two and every zero point is 0; otherwise import the float model with --calibration' },
  F8E104: { severity: 'error', title: 'calibration data missing or unusable', hint: 'a float ONNX model needs --calibration FILE.npy (a few hundred typical inputs, float32, in the model\'s own layout)' },
  // --- TFLite import (11x) ---
  F8E110: { severity: 'error', title: 'cannot read the TFLite model', hint: 'f8c reads TFLite flatbuffers (.tflite, file identifier TFL3)' },
  F8E111: { severity: 'error', title: 'unsupported TFLite operators', hint: 'supported: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, AVERAGE_POOL_2D, MAX_POOL_2D, MEAN, RESHAPE, SOFTMAX, LOGISTIC, TANH, PAD, CONCATENATION; QUANTIZE/DEQUANTIZE at the model edges' },
  F8E112: { severity: 'error', title: 'unsupported use of a TFLite operator', hint: 'f8c imports int8 models with batch 1 (int8 activations, int8 weights, int32 biases)' },
} as const satisfies Record<string, CodeInfo>;

export type DiagCode = keyof typeof CODES;
