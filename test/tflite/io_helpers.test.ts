/**
 * `--io-helpers`: <prefix>_io.h/.c (float QUANTIZE/DEQUANTIZE at the model's
 * edges, outside the run function) built with gcc (strict with the extra
 * firmware warnings, and ASan/UBSan) and run on floats passed as bit
 * patterns, including exact ties (x / S = k + 1/2), near-ties, zero, signed
 * zero, saturation, infinities and NaN; every int8 value dequantised. The C
 * equals tfliteQuantize / tfliteDequantize bit for bit, and those give the
 * hand-worked values of TFLite's reference (round half away from zero).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ioHelperFiles, tfliteDequantize, tfliteQuantize, cHexFloat } from '../../src/backend/c/io_helpers.js';
import { EXTRA_WARNING_FLAGS, SANITIZE_FLAGS, STRICT_FLAGS, gccBuild, makeTempDir, removeDir, runExe, writeFiles } from '../../src/backend/c/host.js';
import { importTfliteBytes } from '../../src/import/tflite/index.js';
import { writeTflite, type WModel } from '../../src/import/tflite/writer.js';
import { BUILTIN } from '../../src/import/tflite/schema.js';

const S_IN = Math.fround(0.0235294122);
const S_OUT = Math.fround(1 / 256);

/** x [1,4] (S 0.0235, Z 3) -> SOFTMAX -> y [1,4] (S 1/256, Z -128); a second input u [1,2] (S 0.25, Z -128) -> RESHAPE -> v [1,1,2]. */
function model(): WModel {
  return {
    tensors: [
      { name: 'x', shape: [1, 4], type: 'int8', scale: [S_IN], zeroPoint: [3] },
      { name: 'y', shape: [1, 4], type: 'int8', scale: [S_OUT], zeroPoint: [-128] },
      { name: 'u', shape: [1, 2], type: 'int8', scale: [0.25], zeroPoint: [-128] },
      { name: 'v', shape: [1, 1, 2], type: 'int8', scale: [0.25], zeroPoint: [-128] },
    ],
    inputs: [0, 2],
    outputs: [1, 3],
    operators: [
      { builtin: BUILTIN.SOFTMAX, inputs: [0], outputs: [1] },
      { builtin: BUILTIN.RESHAPE, inputs: [2], outputs: [3] },
    ],
  };
}

const bits = (f: number) => {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, f);
  return b.getUint32(0);
};

function floats(s: number): number[] {
  const xs = [0, -0, 1, -1, 1e9, -1e9, Infinity, -Infinity, NaN, 3.4e38, 1e-45, -1e-45];
  for (let k = -140; k <= 140; k++) {
    const t = Math.fround((k + 0.5) * s); // exact ties where the product and quotient are exact
    xs.push(t, Math.fround(t * (1 + 2 ** -23)), Math.fround(t * (1 - 2 ** -23)), Math.fround(k * s));
  }
  return xs;
}

describe('--io-helpers: float conversion at the model edges', () => {
  test('TS quantiser: TFLite QUANTIZE rounds half away from zero and saturates', () => {
    expect([0.125, 0.375, -0.125, -0.375, 0.124, 40, -40, NaN].map((x) => tfliteQuantize(x, 0.25, -128, -128, 127))).toEqual([-127, -126, -128, -128, -128, 32, -128, -128]);
    expect([0.125, -0.125, -0.375, 0.1249].map((x) => tfliteQuantize(x, 0.25, 0, -128, 127))).toEqual([1, -1, -2, 0]);
    expect(tfliteDequantize(-127, 1 / 256, -128)).toBe(1 / 256);
    expect(cHexFloat(1 / 256)).toBe('0x1p-8f');
    expect(cHexFloat(0.25 * 3)).toBe('0x3p-2f');
  });

  test('generated C equals the TS quantiser and dequantiser bit for bit (strict + extra warnings, ASan/UBSan)', async () => {
    const g = importTfliteBytes(writeTflite(model()), 'io.tflite');
    const files = ioHelperFiles(g, 'io');
    expect([...files.keys()]).toEqual(['io_io.h', 'io_io.c']);
    const h = files.get('io_io.h')!;
    for (const fn of ['io_quantize_input0', 'io_quantize_input1', 'io_dequantize_output0', 'io_dequantize_output1']) expect(h).toContain(`void ${fn}(`);
    const xs0 = floats(S_IN);
    const xs1 = floats(0.25);
    const qs = Array.from({ length: 256 }, (_, i) => i - 128);
    const arr = (name: string, ctype: string, v: number[]) => `static const ${ctype} ${name}[${v.length}] = {${v.join(',')}};`;
    const main = [
      '#include <stdio.h>',
      '#include <string.h>',
      '#include "io_io.h"',
      arr('xb0', 'uint32_t', xs0.map((x) => bits(x) >>> 0).map((b) => `${b}u`) as unknown as number[]),
      arr('xb1', 'uint32_t', xs1.map((x) => bits(x) >>> 0).map((b) => `${b}u`) as unknown as number[]),
      arr('qs', 'int8_t', qs),
      'static void dump_q(const float *x, size_t n, int which) {',
      '  int8_t q[2048]; size_t i;',
      '  if (which == 0) io_quantize_input0(x, q, n); else io_quantize_input1(x, q, n);',
      '  for (i = 0; i < n; i++) printf("%d ", q[i]);',
      '  printf("\\n");',
      '}',
      'static void dump_f(int which) {',
      '  float x[256]; size_t i; uint32_t b;',
      '  if (which == 0) io_dequantize_output0(qs, x, 256); else io_dequantize_output1(qs, x, 256);',
      '  for (i = 0; i < 256; i++) { memcpy(&b, &x[i], 4); printf("%lu ", (unsigned long)b); }',
      '  printf("\\n");',
      '}',
      'int main(void) {',
      '  float x[2048]; size_t i; uint32_t b;',
      '  for (i = 0; i < sizeof xb0 / sizeof xb0[0]; i++) { b = xb0[i]; memcpy(&x[i], &b, 4); }',
      '  dump_q(x, sizeof xb0 / sizeof xb0[0], 0);',
      '  for (i = 0; i < sizeof xb1 / sizeof xb1[0]; i++) { b = xb1[i]; memcpy(&x[i], &b, 4); }',
      '  dump_q(x, sizeof xb1 / sizeof xb1[0], 1);',
      '  dump_f(0); dump_f(1);',
      '  return 0;',
      '}',
      '',
    ].join('\n');
    const expected = [
      xs0.map((x) => tfliteQuantize(x, S_IN, 3, -128, 127)).join(' '),
      xs1.map((x) => tfliteQuantize(x, 0.25, -128, -128, 127)).join(' '),
      qs.map((q) => bits(tfliteDequantize(q, S_OUT, -128)) >>> 0).join(' '),
      qs.map((q) => bits(tfliteDequantize(q, 0.25, -128)) >>> 0).join(' '),
    ];
    // ties really occur in the inputs (x / S exactly k + 1/2 in float)
    expect(xs1.filter((x) => Math.abs(Math.fround(x / 0.25) % 1) === 0.5).length).toBeGreaterThan(200);
    for (const flags of [[...STRICT_FLAGS, ...EXTRA_WARNING_FLAGS], SANITIZE_FLAGS]) {
      const dir = makeTempDir('io');
      try {
        writeFiles(dir, files);
        writeFileSync(join(dir, 'main.c'), main);
        const b = await gccBuild(dir, flags, 'io_test');
        expect(b.log).toBe('');
        const r = await runExe(b.exe);
        expect([r.exitCode, r.stderr]).toEqual([0, '']);
        expect(r.stdout.trim().split('\n').map((l) => l.trim())).toEqual(expected);
      } finally {
        removeDir(dir);
      }
    }
  }, 60_000);
});

test('f8c compile --io-helpers writes <prefix>_io.h/.c (and only then); the run function has no float', async () => {
  const { cli } = await import('../cli/helpers.js');
  const { mkdtempSync, readdirSync, readFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'f8c-io-cli-'));
  try {
    writeFileSync(join(dir, 'm.tflite'), writeTflite(model()));
    const a = await cli('compile', join(dir, 'm.tflite'), '-o', join(dir, 'a'), '--prefix', 'm', '--io-helpers');
    expect([a.code, a.err]).toEqual([0, '']);
    expect(a.out).toContain('m_io.h/.c');
    const files = readdirSync(join(dir, 'a'));
    expect(files).toEqual(expect.arrayContaining(['m_io.h', 'm_io.c', 'm.h', 'm.c']));
    expect(readFileSync(join(dir, 'a', 'm.c'), 'utf8')).not.toMatch(/\bfloat\b|\bdouble\b/);
    expect(readFileSync(join(dir, 'a', 'm.h'), 'utf8')).toContain('--io-helpers');
    const b = await cli('compile', join(dir, 'm.tflite'), '-o', join(dir, 'b'), '--prefix', 'm');
    expect(b.code).toBe(0);
    expect(readdirSync(join(dir, 'b'))).not.toContain('m_io.c');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
