/**
 * Constant data: bytes (little-endian) to typed arrays and back, base64
 * checking, and the [qmin, qmax] check of constant values.
 */
import { DTYPE_BYTES, numel, type DType, type TensorData } from '../ir/types.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict standard base64 (with padding, no whitespace), or undefined. */
export function decodeBase64(s: string): Uint8Array | undefined {
  if (!BASE64.test(s)) return undefined;
  const b = Buffer.from(s, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');
}

/** Byte length of a tensor's data; may exceed 2^53 for absurd shapes (then no data can match). */
export function expectedBytes(shape: readonly number[], dtype: DType): number {
  return numel(shape) * DTYPE_BYTES[dtype];
}

export function emptyData(dtype: DType, n = 0): TensorData {
  switch (dtype) {
    case 'int8':
      return new Int8Array(n);
    case 'uint8':
      return new Uint8Array(n);
    case 'int16':
      return new Int16Array(n);
    case 'int32':
      return new Int32Array(n);
  }
}

/** Little-endian bytes (length a multiple of the element size) to a typed array. */
export function fromBytes(bytes: Uint8Array, dtype: DType): TensorData {
  const size = DTYPE_BYTES[dtype];
  if (bytes.length % size !== 0) throw new Error(`internal: ${bytes.length} bytes is not a whole number of ${dtype}`);
  const n = bytes.length / size;
  const out = emptyData(dtype, n);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let i = 0; i < n; i++) {
    out[i] = dtype === 'int8' ? dv.getInt8(i) : dtype === 'uint8' ? dv.getUint8(i) : dtype === 'int16' ? dv.getInt16(2 * i, true) : dv.getInt32(4 * i, true);
  }
  return out;
}

/** A typed array to little-endian bytes. */
export function toBytes(data: TensorData): Uint8Array {
  const size = data.BYTES_PER_ELEMENT;
  const out = new Uint8Array(data.length * size);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (size === 1) dv.setUint8(i, v & 0xff);
    else if (size === 2) dv.setInt16(2 * i, v, true);
    else dv.setInt32(4 * i, v, true);
  }
  return out;
}

/** Index of the first value outside [lo, hi], or -1. */
export function firstOutOfRange(data: TensorData, lo: number, hi: number): number {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo || v > hi) return i;
  }
  return -1;
}
