/**
 * NumPy .npy files (format versions 1-3, C order, little-endian or
 * single-byte dtypes): the input and output files of `f8c run`, `verify`
 * and `eval`. Problems are diagnostics (F8E070), never exceptions.
 */
import { readFileSync } from 'node:fs';
import { fail } from '../diag/diagnostic.js';

export type NpyDtype = 'int8' | 'uint8' | 'int16' | 'int32' | 'float32' | 'float64';

export interface NpyArray {
  dtype: NpyDtype;
  shape: number[];
  data: Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const DESCR: Record<string, NpyDtype> = {
  '|i1': 'int8', 'i1': 'int8', '<i1': 'int8',
  '|u1': 'uint8', 'u1': 'uint8', '<u1': 'uint8', '|b1': 'uint8',
  '<i2': 'int16', '<i4': 'int32', '<f4': 'float32', '<f8': 'float64',
};
const DESCR_OUT: Record<NpyDtype, string> = { int8: '|i1', uint8: '|u1', int16: '<i2', int32: '<i4', float32: '<f4', float64: '<f8' };
const BYTES: Record<NpyDtype, number> = { int8: 1, uint8: 1, int16: 2, int32: 4, float32: 4, float64: 8 };

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function parseNpy(buf: Uint8Array, file: string): NpyArray {
  const bad = (msg: string): never => fail('F8E070', `${file}: ${msg}`, { file });
  if (buf.length < 10 || MAGIC.some((b, i) => buf[i] !== b)) bad('not a .npy file (bad magic)');
  const major = buf[6]!;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (buf.length < 12) bad('truncated header');
    headerLen = dv.getUint32(8, true);
    start = 12;
  } else return bad(`unsupported .npy version ${major}`);
  if (start + headerLen > buf.length) bad('truncated header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(buf.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) return bad('malformed header');
  const dtype = DESCR[descr];
  if (!dtype) return bad(`unsupported dtype '${descr}' (use int8, uint8, int16, int32, float32 or float64, little-endian)`);
  if (fortran === 'True') bad('Fortran-order arrays are not supported (save with C order)');
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) bad(`bad shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const off = start + headerLen;
  const need = count * BYTES[dtype];
  if (buf.length - off < need) bad(`truncated data: ${buf.length - off} bytes for ${count} ${dtype} elements`);
  const bytes = new Uint8Array(buf.subarray(off, off + need)); // a copy: Buffer.slice would share Node's pool
  const data = {
    int8: () => new Int8Array(bytes.buffer),
    uint8: () => new Uint8Array(bytes.buffer),
    int16: () => new Int16Array(bytes.buffer),
    int32: () => new Int32Array(bytes.buffer),
    float32: () => new Float32Array(bytes.buffer),
    float64: () => new Float64Array(bytes.buffer),
  }[dtype]();
  return { dtype, shape, data };
}

export function readNpy(path: string): NpyArray {
  let buf: Uint8Array;
  try {
    buf = readFileSync(path);
  } catch (e) {
    return fail('F8E070', `cannot read '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
  }
  return parseNpy(buf, path);
}

/** Serialises an array as .npy version 1.0 (header padded to a multiple of 64 bytes). */
export function encodeNpy(a: NpyArray): Uint8Array {
  const shape = a.shape.length === 1 ? `(${a.shape[0]},)` : `(${a.shape.join(', ')})`;
  let header = `{'descr': '${DESCR_OUT[a.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const out = new Uint8Array(10 + header.length + a.data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength), 10 + header.length);
  return out;
}
