/**
 * runtime-c/f8_tfl.h against src/arith/tflite.ts: the same random and edge
 * cases through gcc (strict, and with UBSan), with the plain 64-bit product
 * and with the 16-bit-halves product used on Cortex-M0/M0+.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { INT32_MAX, INT32_MIN, mbqmDouble, mbqmSingle, roundingDivideByPOT, srdhm } from '../../src/arith/tflite.js';
import { Rng } from '../../src/util/rng.js';
import { RUNTIME_DIR } from './harness.js';

const cInt = (v: number): string => (v === INT32_MIN ? '(-2147483647 - 1)' : String(v));

function cases(n: number): number[][] {
  const rng = new Rng(11);
  const edge = [INT32_MIN, INT32_MAX, 0, 1, -1, 2 ** 30, -(2 ** 30), 65535, -65536];
  const i32 = () => (rng.next() < 0.2 ? rng.pick(edge) : Math.trunc((rng.next() * 2 - 1) * 2 ** rng.int(1, 31)) | 0);
  return Array.from({ length: n }, () => [i32(), i32(), rng.int(0, 31), rng.int(2 ** 30, INT32_MAX), rng.int(-31, 30)]);
}

describe('f8_tfl.h equals src/arith/tflite.ts', () => {
  test.each([0, 1])('F8_TFL_MUL_HALVES=%d, strict and UBSan', async (halves) => {
    const cs = cases(3000);
    const expected = cs.map(([a, b, e, m, s]) => {
      const xs = s! > 0 ? Math.trunc(a! / 2 ** s!) : a!;
      return [srdhm(a!, b!), roundingDivideByPOT(a!, e!), mbqmDouble(xs, m!, s!), mbqmSingle(a!, m!, s!)].join(' ');
    });
    const src = [
      '#include <stdio.h>',
      '#include "f8_tfl.h"',
      `static const int32_t C[${cs.length}][5] = {${cs.map((c) => `{${c.map(cInt).join(',')}}`).join(',')}};`,
      'int main(void) { int i; for (i = 0; i < ' + cs.length + '; i++) {',
      '  int32_t a = C[i][0], b = C[i][1], m = C[i][3]; int e = (int)C[i][2], s = (int)C[i][4];',
      '  int32_t xs = s > 0 ? a / (int32_t)((uint32_t)1 << s) : a;',
      '  printf("%ld %ld %ld %ld\\n", (long)f8_tfl_srdhm(a, b), (long)f8_tfl_rdbpot(a, e), (long)f8_tfl_mbqm(xs, m, s, 0), (long)f8_tfl_mbqm(a, m, s, 1));',
      '} return 0; }',
    ].join('\n');
    const dir = await mkdtemp(join(tmpdir(), 'f8tfl-'));
    try {
      await writeFile(join(dir, 't.c'), src);
      for (const flags of [['-O2', '-Werror', '-Wall', '-Wextra', '-pedantic'], ['-O1', '-fsanitize=undefined', '-fno-sanitize-recover=all']]) {
        await execa('gcc', ['-std=c99', ...flags, `-DF8_TFL_MUL_HALVES=${halves}`, '-I', RUNTIME_DIR, '-o', join(dir, 't'), join(dir, 't.c')]);
        const { stdout } = await execa(join(dir, 't'));
        expect(stdout.split('\n')).toEqual(expected);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60000);
});
