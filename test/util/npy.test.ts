import { encodeNpy, parseNpy } from '../../src/util/npy.js';
import { UserError } from '../../src/diag/diagnostic.js';

describe('npy', () => {
  test('round trip keeps dtype, shape and data', () => {
    const a = { dtype: 'int8' as const, shape: [2, 3], data: Int8Array.from([1, -2, 3, -128, 127, 0]) };
    const b = parseNpy(encodeNpy(a), 'x.npy');
    expect(b.dtype).toBe('int8');
    expect(b.shape).toEqual([2, 3]);
    expect(Array.from(b.data)).toEqual([1, -2, 3, -128, 127, 0]);
  });

  test('header is padded so the data starts on a 64-byte boundary', () => {
    const bytes = encodeNpy({ dtype: 'float32', shape: [3], data: Float32Array.from([0.5, -1, 2]) });
    const headerLen = bytes[8]! + 256 * bytes[9]!;
    expect((10 + headerLen) % 64).toBe(0);
    const back = parseNpy(bytes, 'f.npy');
    expect(back.shape).toEqual([3]);
    expect(Array.from(back.data)).toEqual([0.5, -1, 2]);
  });

  test('a hand-written version 1.0 file with a 1-element tuple shape', () => {
    const header = "{'descr': '|u1', 'fortran_order': False, 'shape': (4,), }";
    const padded = header + ' '.repeat(128 - 10 - header.length - 1) + '\n';
    const buf = new Uint8Array(10 + padded.length + 4);
    buf.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, padded.length, 0]);
    buf.set(new TextEncoder().encode(padded), 10);
    buf.set([0, 1, 254, 255], 10 + padded.length);
    const a = parseNpy(buf, 'h.npy');
    expect(a.dtype).toBe('uint8');
    expect(Array.from(a.data)).toEqual([0, 1, 254, 255]);
  });

  test.each([
    ['bad magic', new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])],
    ['truncated data', encodeNpy({ dtype: 'int32', shape: [4], data: Int32Array.from([1, 2, 3, 4]) }).slice(0, -3)],
    ['truncated header', encodeNpy({ dtype: 'int8', shape: [1], data: Int8Array.from([1]) }).slice(0, 20)],
  ])('%s is a diagnostic F8E070', (_name, bytes) => {
    try {
      parseNpy(bytes, 'bad.npy');
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).diagnostics[0]!.code).toBe('F8E070');
    }
  });
});
